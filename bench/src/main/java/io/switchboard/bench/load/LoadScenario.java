package io.switchboard.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run <chat|broadcast|connections|density|day> [options]} (see {@link LoadOptions}): starts a
 * Switchboard server (or uses {@code --target}), opens the scenario's WebSocket connections, publishes open loop at
 * the offered rate, prints a progress line each second and writes the report; the last line is {@code RESULT ...}.
 * <p>
 * Not thread-safe: the main thread drives the run.
 */
public final class LoadScenario
{
    private LoadScenario()
    {
    }

    /** What one run measured. */
    record Outcome(String scenario, Histogram histogram, Map<String, Object> summary, String resultLine)
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 1)
        {
            throw new IllegalArgumentException("usage: LoadScenario <scenario> [options]");
        }
        final String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        if ("peer-nats".equals(args[0]))
        {
            PeerNats.main(rest);
        }
        else
        {
            final Outcome outcome = run(LoadOptions.parse(args[0], rest), false);
            System.out.println(outcome.resultLine());
        }
        System.exit(0);
    }

    /**
     * Apply the scenario's default sizes (scaled to a 2-core machine whose processes may hold 20,000 descriptors).
     */
    static LoadOptions withDefaults(final LoadOptions options)
    {
        return switch (options.scenario)
        {
            case "chat" -> options.defaults(10_000, 1_000, 10, 2_000);
            case "broadcast" -> options.defaults(10_000, 1, 10_000, 50);
            case "connections" -> options.defaults(18_000, 1, 18_000, 10);
            case "density" -> options.defaults(100, 100_000, 1_000, 10_000);
            case "day" -> options.defaults(10_000, 1_000, 10, 2_000);
            case "presence" -> options.defaults(10_000, 10_000, 1, 200);
            default -> throw new IllegalArgumentException("unknown scenario " + options.scenario +
                " (chat, broadcast, presence, connections, density, day, peer-nats)");
        };
    }

    static Workload workload(final LoadOptions options)
    {
        return switch (options.scenario)
        {
            case "chat" -> Workload.chat(options.connections, options.members, options.rate);
            case "broadcast", "connections" -> Workload.broadcast(options.connections, options.rate);
            case "presence" -> Workload.presence(options.connections, options.watch, options.rate);
            case "density" -> Workload.density(options.connections, options.members, options.rate);
            case "day" -> Workload.day(options.connections, options.members, options.rate,
                options.durationS / (double)Workload.DAY_SHAPE.length, options.warmupS);
            default -> throw new IllegalArgumentException("unknown scenario " + options.scenario);
        };
    }

    /**
     * One run.
     *
     * @param raw  options as parsed.
     * @param nats run against a NATS server instead of Switchboard.
     * @return what it measured (also written under {@code options.out}).
     */
    static Outcome run(final LoadOptions raw, final boolean nats) throws Exception
    {
        final LoadOptions options = withDefaults(raw);
        final Path dir = options.out;
        Files.createDirectories(dir);
        final Workload workload = workload(options);
        final boolean memory = "connections".equals(options.scenario) || "density".equals(options.scenario);
        final String loadBefore = loadAverage();
        final String layout = nats ? "nats" : null != options.target ? "external" : options.layout;
        System.out.printf("load: scenario %s against %s: %d connections, %d channels, %d offered/s, %d B payload, " +
            "warmup %d s, duration %d s; load average %s%n", options.scenario,
            nats ? "nats" : "switchboard (" + layout + ")",
            options.connections, distinctChannels(workload), options.rate, options.payloadBytes, options.warmupS,
            options.durationS, loadBefore);

        final ServerUnderTest server = nats ? ServerUnderTest.startNats(dir) :
            null != options.target ? ServerUnderTest.external(options.target, options.apiKey) :
            ServerUnderTest.startSwitchboard(options.layout, options.serverHeap, options.serverOpts, dir);
        System.out.println("load: server: " + server.description);
        final LoadStats stats = new LoadStats();
        final Map<String, Object> summary = new LinkedHashMap<>();
        try
        {
            final Wire wire = nats ? new NatsWire(server.wsUrl) :
                new SwitchboardWire(server.wsUrl, Tokens.fetch(server.httpUrl, server.apiKey, workload.users));
            final Map<String, ServerMemory.Sample> before = memory ? ServerMemory.measure(server) : null;
            try (LoadClients clients = new LoadClients(
                options.threads, options.sources, options.connectInflight, wire, stats))
            {
                final long connectStartNs = System.nanoTime();
                long lastPrintNs = connectStartNs;
                for (final Map.Entry<String, List<String>> user : workload.users.entrySet())
                {
                    clients.connect(user.getKey(), user.getValue());
                    if (System.nanoTime() - lastPrintNs > 1_000_000_000L)
                    {
                        lastPrintNs = System.nanoTime();
                        System.out.printf("load: connecting: %d open, %d ready, %d errors%n",
                            stats.connected.get(), stats.ready.get(), stats.errors.sum());
                    }
                }
                if (!clients.awaitSettled(options.connectInflight, 120_000))
                {
                    stats.onError("connections not settled after 120 s");
                }
                final double connectS = (System.nanoTime() - connectStartNs) / 1e9;
                System.out.printf(Locale.ROOT, "load: %d of %d connections ready in %.1f s (%.0f/s), %d errors%n",
                    stats.ready.get(), options.connections, connectS, stats.ready.get() / connectS, stats.errors.sum());
                summary.put("connect_s", LoadReport.round(connectS));
                summary.put("connect_per_s", LoadReport.round(stats.ready.get() / connectS));
                if (memory)
                {
                    final long subscriptions = workload.users.values().stream().mapToLong(List::size).sum();
                    final Map<String, Object> memoryFigures = ServerMemory.figures(
                        before, ServerMemory.measure(server), options.connections, subscriptions);
                    System.out.println("load: server memory " + memoryFigures);
                    summary.put("memory", memoryFigures);
                }
                publish(options, workload, clients, stats, server, summary);
            }
            final Histogram histogram = stats.measured.getIntervalHistogram();
            summary.put("figures", LoadReport.figures(histogram, stats.measuredPublished.sum() /
                (double)options.durationS, stats.measuredDelivered.sum() / (double)options.durationS,
                stats.errors.sum()));
            final Map<String, Long> errorKinds = stats.errorsByKind();
            if (!errorKinds.isEmpty())
            {
                summary.put("errors_by_kind", errorKinds);
                errorKinds.forEach((kind, count) -> System.out.println("load: errors: " + count + " x " + kind));
            }
            summary.put("published_total", stats.scheduled.sum());
            summary.put("delivered_total", stats.delivered.sum());
            if (null != stats.buckets())
            {
                summary.put("per_hour", perHour(stats.buckets(), options));
            }
            summary.put("scenario", options.scenario);
            summary.put("server", server.description);
            summary.put("layout", layout);
            summary.put("connections", options.connections);
            summary.put("channels", distinctChannels(workload));
            summary.put("payload_bytes", options.payloadBytes);
            summary.put("warmup_s", options.warmupS);
            summary.put("duration_s", options.durationS);
            summary.put("generator", options.threads + " event loop thread(s), " + options.sources +
                " source address(es), JVM " + java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments());
            summary.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
            summary.put("load_average_before", loadBefore);
            summary.put("load_average_after", loadAverage());
            @SuppressWarnings("unchecked")
            final Map<String, Object> figures = (Map<String, Object>)summary.get("figures");
            final String result = LoadReport.resultLine(options.scenario + (nats ? "-nats" : ""), figures);
            LoadReport.writeHgrm(histogram, dir.resolve("latency.hgrm"));
            LoadReport.writeSvg(Map.of((nats ? "nats " : "switchboard ") + options.scenario, histogram),
                options.scenario + ": publish to deliver latency (" + options.connections + " connections, " +
                options.rate + "/s offered)", dir.resolve("latency.svg"));
            LoadReport.writeJson(summary, dir.resolve("summary.json"));
            System.out.println("load: report in " + dir + " (latency.hgrm, latency.svg, summary.json)");
            if (!server.isAlive())
            {
                System.out.println("load: the server died during the run (see its log in " + dir + ")");
            }
            return new Outcome(options.scenario, histogram, summary, result);
        }
        finally
        {
            server.close();
        }
    }

    private static void publish(final LoadOptions options, final Workload workload, final LoadClients clients,
        final LoadStats stats, final ServerUnderTest server, final Map<String, Object> summary)
        throws InterruptedException
    {
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double serverCpuStart = -1;
        long generatorCpuStartNs = -1;
        boolean cpuDone = false;
        final PresenceLoad presence = workload.watch > 0 ? watchAll(workload, clients, stats) : null;
        final long startNs = System.nanoTime() + 100_000_000L;
        final long measureStartNs = startNs + options.warmupS * 1_000_000_000L;
        final long endNs = measureStartNs + options.durationS * 1_000_000_000L;
        stats.window(measureStartNs, endNs);
        if (workload.hours > 0)
        {
            stats.buckets(workload.hours);
        }
        final OpenLoopPublisher publisher = new OpenLoopPublisher(clients, workload.picker, workload.rateAt, stats,
            options.payloadBytes, startNs, endNs);
        if (null != presence)
        {
            publisher.presence(presence);
        }
        final Thread thread = new Thread(publisher, "publisher");
        thread.setDaemon(true);
        thread.start();
        long lastScheduled = 0;
        long lastSent = 0;
        long lastDelivered = 0;
        long quietSince = 0;
        final Histogram interval = stats.newHistogram();
        for (int second = 1; ; second++)
        {
            Thread.sleep(Math.max(0, startNs + second * 1_000_000_000L - System.nanoTime()) / 1_000_000L);
            final long scheduled = stats.scheduled.sum();
            final long sent = stats.sent.sum();
            final long delivered = stats.delivered.sum();
            stats.interval.getIntervalHistogramInto(interval);
            if (second == options.warmupS)
            {
                serverCpuStart = server.cpuSeconds();
                generatorCpuStartNs = os.getProcessCpuTime();
            }
            if (!cpuDone && System.nanoTime() >= endNs && generatorCpuStartNs >= 0)
            {
                cpuDone = true;
                final double measuredS = (System.nanoTime() - measureStartFor(startNs, options)) / 1e9;
                final double serverCores = (server.cpuSeconds() - serverCpuStart) / measuredS;
                final double generatorCores = (os.getProcessCpuTime() - generatorCpuStartNs) / 1e9 / measuredS;
                summary.put("server_cpu_cores", Math.round(serverCores * 100) / 100.0);
                summary.put("generator_cpu_cores", Math.round(generatorCores * 100) / 100.0);
                System.out.printf(Locale.ROOT, "load: CPU while measuring: server %.2f cores, generator %.2f cores%n",
                    serverCores, generatorCores);
            }
            final String phase = second <= options.warmupS ? "warmup" :
                System.nanoTime() < endNs ? "measure" : "drain";
            System.out.printf(Locale.ROOT, "load: %4ds %-7s offered=%d/s achieved=%d/s delivered=%d/s conns=%d " +
                "errors=%d p99_us=%d%n", second, phase, scheduled - lastScheduled, sent - lastSent,
                delivered - lastDelivered, stats.ready.get() - stats.closed.get(), stats.errors.sum(),
                interval.getTotalCount() > 0 ? interval.getValueAtPercentile(99) : 0);
            if (System.nanoTime() >= endNs)
            {
                quietSince = delivered == lastDelivered ? quietSince + 1 : 0;
                if (quietSince >= 1 || System.nanoTime() > endNs + 10_000_000_000L || !server.isAlive())
                {
                    break;
                }
            }
            lastScheduled = scheduled;
            lastSent = sent;
            lastDelivered = delivered;
        }
        publisher.stop();
    }

    private static long measureStartFor(final long startNs, final LoadOptions options)
    {
        return startNs + options.warmupS * 1_000_000_000L;
    }

    private static PresenceLoad watchAll(final Workload workload, final LoadClients clients, final LoadStats stats)
        throws InterruptedException
    {
        final PresenceLoad presence = new PresenceLoad(clients.clients().size(), workload.watch, stats);
        for (int i = 0; i < clients.clients().size(); i++)
        {
            final LoadClient client = clients.clients().get(i);
            client.presence(presence);
            client.sendText(presence.watchFrame(i));
        }
        // Watches are applied at most every presence.watchIntervalMs (200 ms): let the first ones land.
        Thread.sleep(2_000);
        System.out.println("load: " + clients.clients().size() + " users each watch " + workload.watch + " others");
        return presence;
    }

    private static Map<String, Object> perHour(final Recorder[] buckets, final LoadOptions options)
    {
        final Map<String, Object> hours = new LinkedHashMap<>();
        for (int i = 0; i < buckets.length; i++)
        {
            final Histogram histogram = buckets[i].getIntervalHistogram();
            final Map<String, Object> hour = new LinkedHashMap<>();
            hour.put("offered_per_s", LoadReport.round(options.rate * Workload.DAY_SHAPE[i]));
            hour.put("samples", histogram.getTotalCount());
            hour.put("p50_us", histogram.getValueAtPercentile(50));
            hour.put("p99_us", histogram.getValueAtPercentile(99));
            hour.put("p999_us", histogram.getValueAtPercentile(99.9));
            hours.put(String.format(Locale.ROOT, "%02d:00", Workload.DAY_FIRST_HOUR + i), hour);
            System.out.printf(Locale.ROOT, "load: hour %02d:00 offered~%.0f/s samples=%d p50_us=%d p99_us=%d%n",
                Workload.DAY_FIRST_HOUR + i, options.rate * Workload.DAY_SHAPE[i], histogram.getTotalCount(),
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99));
        }
        return hours;
    }

    static long distinctChannels(final Workload workload)
    {
        return workload.users.values().stream().flatMap(List::stream).distinct().count();
    }

    static String loadAverage()
    {
        try
        {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }
}
