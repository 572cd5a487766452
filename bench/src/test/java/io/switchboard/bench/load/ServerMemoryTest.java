package io.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap used as jcmd's GC.heap_info prints it for each collector the benchmarks run with (outputs of JDK 17).
 */
class ServerMemoryTest
{
    @Test
    void shouldReadG1ZgcAndParallelHeapsButNotMetaspace()
    {
        assertThat(ServerMemory.heapUsed("""
             garbage-first heap   total 8388608K, used 1419994K [0x0000000600000000, 0x0000000800000000)
              region size 4096K, 1 young (4096K), 0 survivors (0K)
             Metaspace       used 40123K, committed 40576K, reserved 1089536K
            """)).isEqualTo(1_419_994L * 1024);
        assertThat(ServerMemory.heapUsed("""
             ZHeap           used 2048M, capacity 8192M, max capacity 8192M
             Metaspace       used 39000K, committed 39424K, reserved 1085440K
            """)).isEqualTo(2048L * 1024 * 1024);
        assertThat(ServerMemory.heapUsed("""
             PSYoungGen      total 2446848K, used 104857K [0x0000000755580000, 0x0000000800000000)
             ParOldGen       total 5592576K, used 1048576K [0x0000000600000000, 0x0000000755580000)
             Metaspace       used 39000K, committed 39424K, reserved 1085440K
            """)).isEqualTo((104_857L + 1_048_576L) * 1024);
        assertThat(ServerMemory.heapUsed("nothing we know")).isEqualTo(-1);
    }

    @Test
    void shouldGiveTheTotalUnprefixedAndEachRoleOfASplitServerUnderItsPrefix()
    {
        final Map<String, ServerMemory.Sample> before = new LinkedHashMap<>();
        before.put("host", new ServerMemory.Sample(100_000, 10_000));
        before.put("gateway", new ServerMemory.Sample(200_000, 20_000));
        final Map<String, ServerMemory.Sample> after = new LinkedHashMap<>();
        after.put("host", new ServerMemory.Sample(160_000, 15_000));
        after.put("gateway", new ServerMemory.Sample(400_000, 120_000));

        final Map<String, Object> memory = ServerMemory.figures(before, after, 10, 100);

        assertThat(memory.get("rss_before_bytes")).isEqualTo(300_000L);
        assertThat(memory.get("heap_used_after_bytes")).isEqualTo(135_000L);
        assertThat(memory.get("subscribed_channels")).isEqualTo(100L);
        assertThat(memory.get("heap_per_subscribed_channel_bytes")).isEqualTo(1_050.0);
        assertThat(memory.get("host_heap_per_subscribed_channel_bytes")).isEqualTo(50.0);
        assertThat(memory.get("host_rss_per_subscribed_channel_bytes")).isEqualTo(600.0);
        assertThat(memory.get("gateway_heap_per_subscribed_channel_bytes")).isEqualTo(1_000.0);
        assertThat(memory.get("gateway_heap_per_connection_bytes")).isEqualTo(10_000.0);
        assertThat(memory).doesNotContainKey("host_subscribed_channels");
    }

    @Test
    void shouldKeepTheAllInOneFiguresAsTheyWere()
    {
        final Map<String, Object> memory = ServerMemory.figures(Map.of("server", new ServerMemory.Sample(1_000, 100)),
            Map.of("server", new ServerMemory.Sample(3_000, 600)), 2, 10);

        assertThat(memory).containsOnlyKeys("rss_before_bytes", "rss_after_bytes", "heap_used_before_bytes",
            "heap_used_after_bytes", "rss_per_connection_bytes", "heap_per_connection_bytes", "subscribed_channels",
            "rss_per_subscribed_channel_bytes", "heap_per_subscribed_channel_bytes");
        assertThat(memory.get("heap_per_connection_bytes")).isEqualTo(250.0);
    }
}
