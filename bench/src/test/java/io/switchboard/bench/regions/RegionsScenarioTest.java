package io.switchboard.bench.regions;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The regions scenario for real: namespaces, delay relays, a channel host in us and gateways in us, eu and latam,
 * with 2% of UDP packets dropped on every inter-region hop. Asserts correctness only (every message delivered
 * exactly once, in seq order, to every region, and the RESULT line produced); the latency figures belong to
 * docs/benchmarks.md, never to a test. Runs only as root on Linux with iproute2 and nftables, and says so when it
 * skips.
 */
class RegionsScenarioTest
{
    private static final Path SCRIPT = Path.of("regions", "regions.sh");

    @Test
    void shouldDeliverEveryMessageExactlyOnceToEveryRegionUnderLoss() throws Exception
    {
        final String unable = RegionsScenario.unableReason(SCRIPT);
        assumeTrue(null == unable,
            () -> "SKIPPED regions scenario (network namespaces with delay and loss): " + unable);

        final Path out = Path.of("target", "regions-test-" + System.currentTimeMillis());
        final RegionsScenario.Result result = RegionsScenario.run(new RegionsOptions()
            .durationS(10)
            .rate(100)
            .loss(0.02)
            .warmupS(0)
            .script(SCRIPT)
            .out(out)
            .classpath(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))),
            System.out);

        final long messages = 10 * 100;
        assertThat(result.expected()).isEqualTo(3 * messages);
        assertThat(result.delivered()).isEqualTo(result.expected());
        assertThat(result.lost()).isZero();
        assertThat(result.duplicates()).isZero();
        assertThat(result.outOfOrder()).isZero();
        assertThat(result.regionLines()).hasSize(3);
        assertThat(result.resultLine()).startsWith("RESULT scenario=regions p99_ms=").contains(" max_delay_ms=100 ");
        assertThat(result.combined().getTotalCount()).isEqualTo(result.delivered());
        assertThat(Files.readAllLines(out.resolve("results.txt"))).last().isEqualTo(result.resultLine());
        for (final String file : List.of("us.hgrm", "eu.hgrm", "latam.hgrm", "combined.hgrm"))
        {
            assertThat(out.resolve(file)).isNotEmptyFile();
        }
        assertThat(RegionsScenario.unableReason(SCRIPT)).as("namespaces removed, probe works again").isNull();
        assertThat(leftoverNamespaces()).isEmpty();
    }

    private static List<String> leftoverNamespaces() throws Exception
    {
        final Process list = new ProcessBuilder("ip", "netns", "list").start();
        final List<String> names = new String(list.getInputStream().readAllBytes()).lines()
            .filter(line -> line.startsWith("sbr-"))
            .toList();
        list.waitFor();
        return names;
    }
}
