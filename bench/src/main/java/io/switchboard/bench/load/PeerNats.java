package io.switchboard.bench.load;

import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run peer-nats <chat|broadcast> [options]}: the same workload with the same generator against NATS
 * (WebSocket, loopback) and then against Switchboard, each server started fresh; prints both RESULT lines and the
 * ratios Switchboard / NATS (throughput, p50, p99, p99.9), writes a combined plot and summary.
 * <p>
 * Not thread-safe: the main thread drives the run.
 */
final class PeerNats
{
    private PeerNats()
    {
    }

    static void main(final String[] args) throws Exception
    {
        if (args.length < 1 || !("chat".equals(args[0]) || "broadcast".equals(args[0])))
        {
            throw new IllegalArgumentException("usage: bench/run peer-nats <chat|broadcast> [options]");
        }
        final String scenario = args[0];
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Path dir = LoadOptions.parse(scenario, rest).out;
        if (null == dir)
        {
            dir = Path.of("bench/results", "peer-nats-" + scenario + "-" +
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(dir);

        final LoadOptions natsOptions = LoadOptions.parse(scenario, rest);
        natsOptions.out = dir.resolve("nats");
        final LoadScenario.Outcome nats = LoadScenario.run(natsOptions, true);
        System.out.println(nats.resultLine());

        final LoadOptions sbOptions = LoadOptions.parse(scenario, rest);
        sbOptions.out = dir.resolve("switchboard");
        final LoadScenario.Outcome switchboard = LoadScenario.run(sbOptions, false);
        System.out.println(switchboard.resultLine());

        final Map<String, Object> ratios = new LinkedHashMap<>();
        final Map<String, Object> sb = figures(switchboard);
        final Map<String, Object> nf = figures(nats);
        for (final String key : new String[] { "delivered_per_s", "p50_us", "p99_us", "p999_us", "max_us" })
        {
            final double a = ((Number)sb.get(key)).doubleValue();
            final double b = ((Number)nf.get(key)).doubleValue();
            ratios.put(key, b == 0 ? 0.0 : Math.round(a / b * 100.0) / 100.0);
        }
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scenario", scenario);
        summary.put("switchboard", switchboard.summary());
        summary.put("nats", nats.summary());
        summary.put("ratio_switchboard_over_nats", ratios);
        LoadReport.writeJson(summary, dir.resolve("summary.json"));
        final Map<String, Histogram> series = new LinkedHashMap<>();
        series.put("switchboard", switchboard.histogram());
        series.put("nats-server", nats.histogram());
        LoadReport.writeSvg(series, scenario + ": Switchboard vs NATS, publish to deliver", dir.resolve("latency.svg"));
        System.out.println("peer-nats: report in " + dir);
        System.out.printf(Locale.ROOT, "PEER scenario=%s switchboard/nats: delivered_per_s=%s p50=%s p99=%s p999=%s%n",
            scenario, ratios.get("delivered_per_s"), ratios.get("p50_us"), ratios.get("p99_us"),
            ratios.get("p999_us"));
        System.out.println(nats.resultLine());
        System.out.println(switchboard.resultLine());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(final LoadScenario.Outcome outcome)
    {
        return (Map<String, Object>)outcome.summary().get("figures");
    }
}
