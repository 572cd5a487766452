package io.switchboard.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every load scenario for a few seconds at tiny sizes against a Switchboard server it starts (the packaged
 * server jar): the run completes, writes its report and prints a RESULT line with no errors and deliveries. No
 * latency or throughput is asserted: that is for the benchmark runs, not for a shared CI machine. Density also runs
 * in the split layout (channel host and gateway as two processes over Aeron UDP).
 */
class LoadScenarioSmokeTest
{
    @ParameterizedTest
    @ValueSource(strings = { "chat", "broadcast", "connections", "density", "day", "presence" })
    void shouldRunScenarioWithoutErrors(final String scenario) throws Exception
    {
        final Path out = Path.of("target", "load-smoke", scenario);
        final LoadOptions options = LoadOptions.parse(scenario, new String[] {
            "--duration", "2", "--warmup", "1", "--connections", "40", "--members", "4", "--rate", "50",
            "--server-heap", "-Xms256m -Xmx256m", "--out", out.toString() });

        final LoadScenario.Outcome outcome = LoadScenario.run(options, false);

        assertThat(outcome.resultLine()).startsWith("RESULT scenario=" + scenario + " ").contains(" errors=0");
        assertThat(outcome.histogram().getTotalCount()).isPositive();
        assertThat(out.resolve("summary.json")).exists();
        assertThat(out.resolve("latency.hgrm")).exists();
        assertThat(out.resolve("latency.svg")).exists();
    }

    @Test
    void shouldRunDensityWithHostAndGatewayAsTwoProcesses() throws Exception
    {
        final Path out = Path.of("target", "load-smoke", "density-split");
        final LoadOptions options = LoadOptions.parse("density", new String[] {
            "--layout", "split", "--duration", "2", "--warmup", "1", "--connections", "40", "--members", "50",
            "--rate", "50", "--server-heap", "-Xms256m -Xmx256m", "--out", out.toString() });

        final LoadScenario.Outcome outcome = LoadScenario.run(options, false);

        assertThat(outcome.resultLine()).startsWith("RESULT scenario=density ").contains(" errors=0");
        assertThat(outcome.histogram().getTotalCount()).isPositive();
        final Map<String, Object> summary = outcome.summary();
        assertThat(summary.get("layout")).isEqualTo("split");
        assertThat(summary.get("server").toString()).contains("host pid ").contains("gateway pid ");
        assertThat(summary.get("delivered_total")).isEqualTo(summary.get("published_total"));
        assertThat((Long)summary.get("published_total")).isPositive();
        assertThat(out.resolve("host.log")).exists();
        assertThat(out.resolve("gateway.log")).exists();
        @SuppressWarnings("unchecked")
        final Map<String, Object> memory = (Map<String, Object>)summary.get("memory");
        assertThat(memory.get("subscribed_channels")).isEqualTo(2_000L);
        for (final String key : new String[] {
            "host_heap_per_subscribed_channel_bytes", "host_rss_per_subscribed_channel_bytes",
            "gateway_heap_per_subscribed_channel_bytes", "gateway_heap_per_connection_bytes",
            "gateway_rss_per_connection_bytes", "heap_per_subscribed_channel_bytes" })
        {
            assertThat(memory).containsKey(key);
            assertThat((Double)memory.get(key)).as(key).isPositive();
        }
    }
}
