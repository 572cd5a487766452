package io.switchboard.bench.load;

import org.junit.jupiter.api.Test;

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
}
