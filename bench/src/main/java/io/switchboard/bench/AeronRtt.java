package io.switchboard.bench;

import io.aeron.Aeron;
import io.switchboard.transport.EmbeddedDriver;
import io.switchboard.transport.IdleStrategies;
import io.switchboard.transport.NodeContext;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run aeron-rtt}: the round trip of a persistent message through a channel shard (bench gateway
 * Publish → node agent → shard ring → shard sequences it and sends the ChannelEvent → back to the same gateway)
 * next to raw Aeron ping-pong of the same message size, on the same media driver, in the same run, over IPC and UDP
 * on loopback, with a latency ("busy-spin") and the default idle profile ({@link RttProfile}).
 * <p>
 * Both sides are closed-loop ping-pong, one message in flight, so neither suffers coordinated omission differently:
 * each records send-to-receive time in nanoseconds into an HdrHistogram after a warm-up. The raw baseline runs while
 * no Switchboard thread exists; then a channel-host node (one shard) is launched on the same driver.
 * <p>
 * Output: a percentile table per run, .hgrm files and summary.txt under bench/results/aeron-rtt-&lt;timestamp&gt;/, and
 * one {@code RESULT scenario=aeron-rtt transport=.. idle=..} line per run, last.
 * <p>
 * Not thread-safe: a program.
 */
public final class AeronRtt
{
    private static final String USAGE = String.join("\n",
        "bench/run aeron-rtt [options]",
        "  --transport ipc|udp|both     (both)",
        "  --idle busy-spin|default|both (both)",
        "  --messages N                 round trips measured per run (100000)",
        "  --warmup N                   round trips before measuring (30000)",
        "  --payload BYTES              payload of each Publish, >= 8 (16)",
        "  --driver-idle/--raw-idle/--agent-idle/--gateway-idle backoff|sleeping|yielding|busy-spin",
        "  --shard-wait blocking|sleeping|yielding|busy-spin   override the profile's choice");
    private static final Set<String> OPTIONS = Set.of("transport", "idle", "messages", "warmup", "payload",
        "driver-idle", "raw-idle", "agent-idle", "gateway-idle", "shard-wait");
    private static final int RAW_PING_STREAM = 2001;
    private static final int RAW_PONG_STREAM = 2002;
    private static final int RAW_RELAY_STREAM = 2003;
    private static final int TERM_LENGTH = 1024 * 1024;

    private AeronRtt()
    {
    }

    /**
     * @param args see USAGE.
     * @throws Exception when a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchArgs options = new BenchArgs(args, OPTIONS, USAGE);
        final List<String> transports = expand(options.string("transport", "both"), "ipc", "udp");
        final List<String> modes = expand(options.string("idle", "both"), "busy-spin", "default");
        final int messages = options.integer("messages", 100_000);
        final int warmup = options.integer("warmup", 30_000);
        final int payloadLength = options.integer("payload", 16);
        if (payloadLength < 8 || messages < 1 || warmup < 0)
        {
            throw new IllegalArgumentException("need --payload >= 8, --messages >= 1, --warmup >= 0\n" + USAGE);
        }

        final File dir = LatencyReport.newResultsDir("aeron-rtt");
        final List<String> summary = new ArrayList<>();
        final List<String> results = new ArrayList<>();
        final int messageLength = BenchGateway.publishLength(ShardRoundTrip.CHANNEL.capacity(), ShardRoundTrip.USER.capacity(),
            payloadLength);
        summary.add(String.format("aeron-rtt: %d round trips measured after %d warm-up per run; Publish of %d bytes " +
            "(payload %d), raw messages of the same %d bytes; %d cores", messages, warmup, messageLength, payloadLength,
            messageLength, Runtime.getRuntime().availableProcessors()));
        System.out.println(summary.get(0));

        for (final String transport : transports)
        {
            for (final String mode : modes)
            {
                final RttProfile profile = RttProfile.of(transport, mode, options);
                final long startNs = System.nanoTime();
                final Measured measured = runOne(transport, profile, messageLength, payloadLength, warmup, messages);
                final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                final String name = transport + "-" + mode;
                LatencyReport.writeHgrm(measured.raw(), new File(dir, name + "-raw.hgrm"));
                if (null != measured.relay())
                {
                    LatencyReport.writeHgrm(measured.relay(), new File(dir, name + "-raw-relay.hgrm"));
                }
                LatencyReport.writeHgrm(measured.switchboard().histogram(), new File(dir, name + "-switchboard.hgrm"));

                final List<String> table = table(transport, profile, measured, elapsedMs);
                table.forEach(System.out::println);
                summary.addAll(table);
                results.add(resultLine(transport, profile, measured, messages));
            }
        }

        summary.add("");
        summary.addAll(results);
        writeLines(new File(dir, "summary.txt"), summary);
        System.out.println();
        System.out.println("results in " + dir);
        results.forEach(System.out::println);
    }

    private static Measured runOne(
        final String transport,
        final RttProfile profile,
        final int messageLength,
        final int payloadLength,
        final int warmup,
        final int messages) throws InterruptedException
    {
        final boolean udp = "udp".equals(transport);
        final NodeContext driverContext = new NodeContext()
            .nodeName("bench-rtt-driver")
            .driverIdleStrategy(profile.driverIdle())
            .termLength(TERM_LENGTH)
            .conclude();
        final EmbeddedDriver driver = EmbeddedDriver.launch(driverContext);
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        try
        {
            final Histogram raw = new RawPingPong(aeron, channel(udp, TERM_LENGTH), RAW_PING_STREAM,
                channel(udp, TERM_LENGTH), RAW_PONG_STREAM, null, 0).run(
                messageLength, warmup, messages, IdleStrategies.newInstance(profile.rawIdle()),
                () -> IdleStrategies.newInstance(profile.rawIdle()), null);

            // Three threads handing the message on with the Switchboard path's idle strategies: pinger as the
            // gateway, relay as the node agent, ponger as the shard. IPC only: over UDP a relay adds a third trip
            // through the driver, which the Switchboard path (agent to shard through a ring) does not make.
            final Histogram relay = udp ? null : new RawPingPong(aeron, channel(udp, TERM_LENGTH), RAW_PING_STREAM + 10,
                channel(udp, TERM_LENGTH), RAW_PONG_STREAM + 10, channel(udp, TERM_LENGTH), RAW_RELAY_STREAM).run(
                messageLength, warmup, messages, IdleStrategies.newInstance(profile.gatewayIdle()),
                () -> IdleStrategies.newInstance(profile.shardAsIdle()),
                () -> IdleStrategies.newInstance(profile.agentIdle()));

            final ShardRoundTrip.Result switchboard = new ShardRoundTrip(
                aeron, driver.aeronDirectoryName(), channel(udp, 0), channel(udp, 0), TERM_LENGTH, profile)
                .run(payloadLength, warmup, messages);
            return new Measured(raw, relay, switchboard);
        }
        finally
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }

    private static List<String> table(
        final String transport, final RttProfile profile, final Measured measured, final long elapsedMs)
    {
        final Histogram raw = measured.raw();
        final Histogram relay = measured.relay();
        final Histogram switchboard = measured.switchboard().histogram();
        final List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("== " + transport + " " + profile.mode());
        lines.add("   raw:         " + profile.describeRaw());
        if (null != relay)
        {
            lines.add("   relay:       pinger " + profile.gatewayIdle() + ", relay " + profile.agentIdle() + ", ponger " +
                profile.shardAsIdle() + " (the Switchboard path's threads, Aeron only)");
        }
        lines.add("   switchboard: " + profile.describeSwitchboard() + ", 1 channel shard");
        lines.add(LatencyReport.header());
        lines.add(LatencyReport.row("raw aeron ping-pong", raw));
        if (null != relay)
        {
            lines.add(LatencyReport.row("raw aeron 3-thread relay", relay));
        }
        lines.add(LatencyReport.row("switchboard publish->shard->gateway", switchboard));
        lines.add(String.format("%-34s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f", "ratio switchboard/raw",
                ratio(switchboard, raw, 50), ratio(switchboard, raw, 90), ratio(switchboard, raw, 99),
                ratio(switchboard, raw, 99.9), ratio(switchboard, raw, 99.99),
                (double)switchboard.getMaxValue() / raw.getMaxValue()));
        lines.add(String.format("   mean raw %.2f us, switchboard %.2f us; ChannelEvents dropped by the host %d; host %s; " +
            "run took %d ms", raw.getMean() / 1000.0, switchboard.getMean() / 1000.0, measured.switchboard().dropped(),
            measured.switchboard().hostCounters(), elapsedMs));
        return lines;
    }

    private static String resultLine(
        final String transport, final RttProfile profile, final Measured measured, final int messages)
    {
        final Histogram raw = measured.raw();
        final Histogram relay = measured.relay();
        final Histogram switchboard = measured.switchboard().histogram();
        final String relayFields = null == relay ? "" : String.format(" relay_p99_us=%.2f sb_relay_p99_ratio=%.2f",
            LatencyReport.micros(relay, 99), ratio(switchboard, relay, 99));
        return String.format("RESULT scenario=aeron-rtt transport=%s idle=%s raw_p50_us=%.2f sb_p50_us=%.2f " +
            "raw_p99_us=%.2f sb_p99_us=%.2f p99_ratio=%.2f raw_p999_us=%.2f sb_p999_us=%.2f%s sb_dropped=%d " +
            "raw_idle=%s sb_idle=gw:%s,agent:%s,shard:%s driver_idle=%s messages=%d",
            transport, profile.mode(),
            LatencyReport.micros(raw, 50), LatencyReport.micros(switchboard, 50),
            LatencyReport.micros(raw, 99), LatencyReport.micros(switchboard, 99), ratio(switchboard, raw, 99),
            LatencyReport.micros(raw, 99.9), LatencyReport.micros(switchboard, 99.9), relayFields,
            measured.switchboard().dropped(),
            profile.rawIdle(), profile.gatewayIdle(), profile.agentIdle(), profile.shardWaitName(),
            profile.driverIdle(), messages);
    }

    private static String channel(final boolean udp, final int termLength)
    {
        final String base = udp ? "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort() : "aeron:ipc";
        if (0 == termLength)
        {
            return base;
        }
        return base + (udp ? "|" : "?") + "term-length=" + termLength;
    }

    private static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static double ratio(final Histogram numerator, final Histogram denominator, final double percentile)
    {
        return (double)numerator.getValueAtPercentile(percentile) / denominator.getValueAtPercentile(percentile);
    }

    private static List<String> expand(final String value, final String first, final String second)
    {
        if ("both".equals(value))
        {
            return List.of(first, second);
        }
        if (first.equals(value) || second.equals(value))
        {
            return List.of(value);
        }
        throw new IllegalArgumentException("expected " + first + ", " + second + " or both: " + value + "\n" + USAGE);
    }

    private static void writeLines(final File file, final List<String> lines)
    {
        try (PrintStream out = new PrintStream(file, StandardCharsets.UTF_8))
        {
            lines.forEach(out::println);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write " + file, ex);
        }
    }

    /**
     * What one run measured.
     *
     * @param raw         raw Aeron ping-pong round trips in nanoseconds.
     * @param relay       raw Aeron round trips through a relay thread, in nanoseconds; null over UDP.
     * @param switchboard the Switchboard path.
     */
    private record Measured(Histogram raw, Histogram relay, ShardRoundTrip.Result switchboard)
    {
    }
}
