package io.switchboard.bench.load;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every load scenario for a few seconds at tiny sizes against a Switchboard server it starts (the packaged
 * server jar): the run completes, writes its report and prints a RESULT line with no errors and deliveries. No
 * latency or throughput is asserted: that is for the benchmark runs, not for a shared CI machine.
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
}
