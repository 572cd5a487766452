package io.switchboard.gateway.browser;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.support.GatewayHarness;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The demo page in real headless Chromium (Debian's package) driven by Playwright (playwright-core from npm),
 * against a real node and two real gateways: users A and B type, send, see presence, react, and survive a drain
 * of the first gateway towards the second. The steps live in src/test/browser/demo-e2e.mjs; screenshots go to
 * target/screenshots/.
 * <p>
 * A machine without Chromium or the npm packages skips with the reason, except under CI (the CI variable set, as
 * .ci/run does), where a missing install step must fail rather than hide.
 */
class DemoPageBrowserTest
{
    private static final File GATEWAY_DIR = new File(System.getProperty("user.dir"));

    @Test
    void shouldChatWithPresenceTypingReactionsAndSurviveADrainInTwoBrowsers() throws Exception
    {
        final String missing = missingPrerequisite();
        if (null != missing && null == System.getenv("CI"))
        {
            assumeThat(missing).as("browser test skipped: " + missing +
                " (run .ci/run, or: apt-get install chromium && (cd gateway && npm ci))").isNull();
        }
        assertThat(missing).as("CI must install the browser test's prerequisites").isNull();

        try (GatewayHarness harness = GatewayHarness.start())
        {
            final Gateway second = harness.startSecondGateway(c -> {});
            final String base = "http://127.0.0.1:" + harness.gateway().port();
            final List<String> command = List.of("node", "src/test/browser/demo-e2e.mjs");
            final ProcessBuilder builder = new ProcessBuilder(command).directory(GATEWAY_DIR).redirectErrorStream(true);
            builder.environment().put("SWITCHBOARD_URL", base);
            builder.environment().put("SWITCHBOARD_API_KEY", GatewayHarness.API_KEY);
            builder.environment().put("SWITCHBOARD_DRAIN_BODY",
                "{\"reason\":\"browser test\",\"url\":\"" + second.webSocketUrl() + "\",\"reconnectInMs\":500}");
            // Each step may wait this long: two Chromiums and the server share two cores on CI.
            builder.environment().put("SWITCHBOARD_E2E_TIMEOUT_MS", "45000");
            final Process process = builder.start();

            // Output is read on its own thread so that a hung browser fails the test at the deadline instead of
            // blocking the read (and the whole build) for ever.
            final List<String> output = Collections.synchronizedList(new ArrayList<>());
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = lines.readLine()) != null)
                    {
                        System.out.println("[demo-e2e] " + line);
                        output.add(line);
                    }
                }
                catch (final IOException ex)
                {
                    output.add("output lost: " + ex);
                }
            }, "demo-e2e-output");
            reader.start();
            final boolean exited = process.waitFor(5, TimeUnit.MINUTES);
            if (!exited)
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            final String transcript;
            synchronized (output)
            {
                transcript = String.join("\n", output);
            }
            assertThat(exited).as("demo-e2e finished within 5 minutes:\n" + transcript).isTrue();
            assertThat(process.exitValue()).as(transcript).isZero();
            assertThat(output).anyMatch(line -> line.matches("demo-e2e: \\d+ passed, 0 failed.*"));
        }
    }

    private static String missingPrerequisite()
    {
        if (!new File("/usr/bin/chromium").canExecute())
        {
            return "/usr/bin/chromium not installed";
        }
        if (!new File(GATEWAY_DIR, "node_modules/playwright-core").isDirectory())
        {
            return "gateway/node_modules/playwright-core not installed";
        }
        try
        {
            final Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0)
            {
                return "node does not run";
            }
        }
        catch (final Exception ex)
        {
            return "node not installed";
        }
        return null;
    }
}
