package io.switchboard.bench.load;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Settings of one load run ({@code bench/run <scenario> [options]}):
 * <pre>
 *   --duration S        measured seconds (default 20)
 *   --warmup S          seconds of load before measuring (default 5)
 *   --rate R            publishes per second offered, open loop (scenario default)
 *   --connections N     WebSocket connections (scenario default)
 *   --channels K        channels (scenario default)
 *   --members M         members per channel (chat, day)
 *   --watch W           users each user watches (presence)
 *   --payload-bytes B   payload size, at least 24 (default 64)
 *   --threads T         generator event loop threads (default 1: the server needs the other core)
 *   --sources N         127.0.0.x source addresses (default: one per 25,000 connections)
 *   --connect-inflight  handshakes in flight while connecting (default 256)
 *   --target URL        an external server, e.g. http://127.0.0.1:8080 (with --api-key K); default: start one
 *   --api-key K         API key of the external server
 *   --layout L          all-in-one (default): one server JVM with every role over Aeron IPC; split: a channel +
 *                       presence host JVM and a gateway + API JVM over Aeron UDP on loopback, memory per role
 *   --server-heap S     heap flags of each server JVM the run starts (default "-Xms2g -Xmx2g")
 *   --server-opts S     more JVM flags for each (e.g. -XX:StartFlightRecording=filename=x.jfr)
 *   --out DIR           results directory (default bench/results/SCENARIO-TIMESTAMP)
 * </pre>
 * Not thread-safe: built once before the run.
 */
final class LoadOptions
{
    String scenario;
    int durationS = 20;
    int warmupS = 5;
    int rate = -1;
    int connections = -1;
    int channels = -1;
    int members = -1;
    int watch = 50;
    int payloadBytes = 64;
    int threads = 1;
    int sources = -1;
    int connectInflight = 256;
    String target;
    String apiKey;
    String layout = ServerUnderTest.ALL_IN_ONE;
    String serverHeap = "-Xms2g -Xmx2g";
    String serverOpts = "";
    String protocol = "switchboard";
    Path out;

    static LoadOptions parse(final String scenario, final String[] args)
    {
        final LoadOptions options = new LoadOptions();
        options.scenario = scenario;
        for (int i = 0; i < args.length; i++)
        {
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            final String value = args[++i];
            switch (args[i - 1])
            {
                case "--duration" -> options.durationS = Integer.parseInt(value);
                case "--warmup" -> options.warmupS = Integer.parseInt(value);
                case "--rate" -> options.rate = Integer.parseInt(value);
                case "--connections" -> options.connections = Integer.parseInt(value);
                case "--channels" -> options.channels = Integer.parseInt(value);
                case "--members" -> options.members = Integer.parseInt(value);
                case "--watch" -> options.watch = Integer.parseInt(value);
                case "--payload-bytes" -> options.payloadBytes = Integer.parseInt(value);
                case "--threads" -> options.threads = Integer.parseInt(value);
                case "--sources" -> options.sources = Integer.parseInt(value);
                case "--connect-inflight" -> options.connectInflight = Integer.parseInt(value);
                case "--target" -> options.target = value;
                case "--api-key" -> options.apiKey = value;
                case "--layout" -> options.layout = value;
                case "--server-heap" -> options.serverHeap = value;
                case "--server-opts" -> options.serverOpts = value;
                case "--out" -> options.out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (!ServerUnderTest.ALL_IN_ONE.equals(options.layout) && !ServerUnderTest.SPLIT.equals(options.layout))
        {
            throw new IllegalArgumentException("--layout must be " + ServerUnderTest.ALL_IN_ONE + " or " +
                ServerUnderTest.SPLIT + ": '" + options.layout + "'");
        }
        if (ServerUnderTest.SPLIT.equals(options.layout) && null != options.target)
        {
            throw new IllegalArgumentException("--layout split starts its own two processes: not with --target");
        }
        return options;
    }

    /**
     * Fill what the command line left open with the scenario's defaults.
     *
     * @param defaultConnections connections.
     * @param defaultChannels    channels.
     * @param defaultMembers     members per channel.
     * @param defaultRate        publishes per second.
     * @return this.
     */
    LoadOptions defaults(
        final int defaultConnections, final int defaultChannels, final int defaultMembers, final int defaultRate)
    {
        connections = connections < 0 ? defaultConnections : connections;
        channels = channels < 0 ? defaultChannels : channels;
        members = members < 0 ? defaultMembers : members;
        rate = rate < 0 ? defaultRate : rate;
        sources = sources < 0 ? Math.max(1, (connections + 24_999) / 25_000) : sources;
        payloadBytes = Math.max(24, payloadBytes);
        if (null == out)
        {
            out = Path.of("bench/results", scenario + "-" +
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return this;
    }
}
