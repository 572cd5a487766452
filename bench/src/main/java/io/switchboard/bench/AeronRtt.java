package io.switchboard.bench;

import io.aeron.Aeron;
import io.switchboard.transport.EmbeddedDriver;
import io.switchboard.transport.EngineWiring;
import io.switchboard.transport.IdleStrategies;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import org.HdrHistogram.Histogram;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
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
        "  --messages N                 round trips measured per run (200000)",
        "  --warmup N                   round trips before measuring (50000)",
        "  --payload BYTES              payload of each Publish, >= 8 (16)",
        "  --driver-idle/--raw-idle/--agent-idle/--gateway-idle backoff|sleeping|yielding|busy-spin",
        "  --shard-wait blocking|sleeping|yielding|busy-spin   override the profile's choice");
    private static final Set<String> OPTIONS = Set.of("transport", "idle", "messages", "warmup", "payload",
        "driver-idle", "raw-idle", "agent-idle", "gateway-idle", "shard-wait");
    private static final int HOST_ID = 1;
    private static final int GATEWAY_ID = 2;
    private static final int RAW_PING_STREAM = 2001;
    private static final int RAW_PONG_STREAM = 2002;
    private static final int TERM_LENGTH = 1024 * 1024;
    private static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

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
        final int messages = options.integer("messages", 200_000);
        final int warmup = options.integer("warmup", 50_000);
        final int payloadLength = options.integer("payload", 16);
        if (payloadLength < 8 || messages < 1 || warmup < 0)
        {
            throw new IllegalArgumentException("need --payload >= 8, --messages >= 1, --warmup >= 0\n" + USAGE);
        }

        final File dir = LatencyReport.newResultsDir("aeron-rtt");
        final List<String> summary = new ArrayList<>();
        final List<String> results = new ArrayList<>();
        final int messageLength = BenchGateway.publishLength(Channel.NAME.capacity(), Channel.USER.capacity(),
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
                final String name = transport + "-" + mode;
                final Histogram[] histograms = runOne(transport, profile, messageLength, payloadLength, warmup, messages);
                final Histogram raw = histograms[0];
                final Histogram switchboard = histograms[1];
                LatencyReport.writeHgrm(raw, new File(dir, name + "-raw.hgrm"));
                LatencyReport.writeHgrm(switchboard, new File(dir, name + "-switchboard.hgrm"));

                final List<String> table = List.of(
                    "",
                    "== " + transport + " " + mode,
                    "   raw:         " + profile.describeRaw(),
                    "   switchboard: " + profile.describeSwitchboard() + ", 1 channel shard",
                    LatencyReport.header(),
                    LatencyReport.row("raw aeron ping-pong", raw),
                    LatencyReport.row("switchboard publish->shard->gateway", switchboard),
                    String.format("%-34s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f", "ratio switchboard/raw",
                        ratio(switchboard, raw, 50), ratio(switchboard, raw, 90), ratio(switchboard, raw, 99),
                        ratio(switchboard, raw, 99.9), ratio(switchboard, raw, 99.99),
                        (double)switchboard.getMaxValue() / raw.getMaxValue()));
                table.forEach(System.out::println);
                summary.addAll(table);
                results.add(String.format("RESULT scenario=aeron-rtt transport=%s idle=%s raw_p50_us=%.2f " +
                    "sb_p50_us=%.2f raw_p99_us=%.2f sb_p99_us=%.2f p99_ratio=%.2f raw_p999_us=%.2f sb_p999_us=%.2f " +
                    "raw_idle=%s sb_idle=gw:%s,agent:%s,shard:%s driver_idle=%s messages=%d",
                    transport, mode,
                    LatencyReport.micros(raw, 50), LatencyReport.micros(switchboard, 50),
                    LatencyReport.micros(raw, 99), LatencyReport.micros(switchboard, 99), ratio(switchboard, raw, 99),
                    LatencyReport.micros(raw, 99.9), LatencyReport.micros(switchboard, 99.9),
                    profile.rawIdle(), profile.gatewayIdle(), profile.agentIdle(),
                    profile.shardWait().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    profile.driverIdle(), messages));
            }
        }

        summary.add("");
        summary.addAll(results);
        writeLines(new File(dir, "summary.txt"), summary);
        System.out.println();
        System.out.println("results in " + dir);
        results.forEach(System.out::println);
    }

    private static Histogram[] runOne(
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
            final String rawPing = channel(udp, TERM_LENGTH);
            final String rawPong = channel(udp, TERM_LENGTH);
            final Histogram raw = new RawPingPong(aeron, rawPing, RAW_PING_STREAM, rawPong, RAW_PONG_STREAM).run(
                messageLength, warmup, messages, IdleStrategies.newInstance(profile.rawIdle()),
                () -> IdleStrategies.newInstance(profile.rawIdle()));

            final Histogram switchboard = runSwitchboard(
                aeron, driver.aeronDirectoryName(), udp, profile, payloadLength, warmup, messages);
            return new Histogram[]{ raw, switchboard };
        }
        finally
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }

    private static Histogram runSwitchboard(
        final Aeron aeron,
        final String aeronDir,
        final boolean udp,
        final RttProfile profile,
        final int payloadLength,
        final int warmup,
        final int messages)
    {
        final String hostChannel = channel(udp, 0);
        final SwitchboardNode node = SwitchboardNode.launch(new NodeContext()
            .nodeId(HOST_ID)
            .nodeName("bench-rtt-host")
            .roles(EnumSet.of(Role.CHANNEL))
            .listenChannel(hostChannel)
            .aeronDir(aeronDir)
            .idleStrategy(profile.agentIdle())
            .channelShards(1)
            .shardWaitStrategy(profile.shardWait())
            .termLength(TERM_LENGTH), new EngineWiring());

        final RttListener listener = new RttListener(warmup);
        final BenchGateway gateway = new BenchGateway(
            aeron, GATEWAY_ID, channel(udp, 0), HOST_ID, hostChannel, 1000, TERM_LENGTH, listener);
        try
        {
            final IdleStrategy idle = IdleStrategies.newInstance(profile.gatewayIdle());
            if (!gateway.awaitHost(10_000, idle))
            {
                throw new IllegalStateException("channel host not reachable over " + hostChannel);
            }
            while (gateway.subscribe(Channel.NAME, 0, Channel.NAME.capacity()) < 0)
            {
                idle.idle(gateway.poll());
            }
            final long deadlineNs = System.nanoTime() + STALL_TIMEOUT_NS;
            while (!listener.subscribed)
            {
                awaitProgress(deadlineNs, "Subscribed");
                idle.idle(gateway.poll());
            }

            final UnsafeBuffer payload = new UnsafeBuffer(BufferUtil.allocateDirectAligned(payloadLength, 64));
            for (int i = 0, total = warmup + messages; i < total; i++)
            {
                payload.putLong(0, System.nanoTime());
                idle.reset();
                long result;
                while ((result = gateway.publish(Channel.NAME, Channel.USER, payload, payloadLength)) < 0)
                {
                    if (io.aeron.Publication.CLOSED == result || io.aeron.Publication.MAX_POSITION_EXCEEDED == result)
                    {
                        throw new IllegalStateException("publication failed: " + result);
                    }
                    idle.idle(gateway.poll());
                }

                final long expected = listener.events + 1;
                final long stallNs = System.nanoTime() + STALL_TIMEOUT_NS;
                idle.reset();
                while (listener.events < expected)
                {
                    final int work = gateway.poll();
                    if (0 == work)
                    {
                        awaitProgress(stallNs, "ChannelEvent " + expected);
                    }
                    idle.idle(work);
                }
            }

            // Let the last acks arrive so the counts below are complete.
            final long drainNs = System.nanoTime() + STALL_TIMEOUT_NS;
            while (listener.acks < warmup + messages)
            {
                awaitProgress(drainNs, "last PublishAck");
                idle.idle(gateway.poll());
            }
            if (listener.gaps > 0 || node.counters().offerBackPressureFailures.get() > 0)
            {
                throw new IllegalStateException("lost messages: gaps " + listener.gaps + ", host offer failures " +
                    node.counters().offerBackPressureFailures.get());
            }
            return listener.histogram;
        }
        finally
        {
            CloseHelper.closeAll(gateway, node);
        }
    }

    private static void awaitProgress(final long deadlineNs, final String what)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException("no " + what + " within " + TimeUnit.NANOSECONDS.toSeconds(STALL_TIMEOUT_NS)
                + " s");
        }
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
     * The channel and user every round trip uses.
     */
    private static final class Channel
    {
        static final UnsafeBuffer NAME = new UnsafeBuffer("bench-rtt".getBytes(StandardCharsets.UTF_8));
        static final UnsafeBuffer USER = new UnsafeBuffer("bench".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Records send-to-receive time of each ChannelEvent and checks seq, on the gateway thread.
     */
    private static final class RttListener implements BenchGateway.Listener
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final int warmup;
        boolean subscribed;
        long events;
        long acks;
        long lastSeq = -1;
        long gaps;

        RttListener(final int warmup)
        {
            this.warmup = warmup;
        }

        public void onChannelEvent(final DirectBuffer channel, final long seq, final long epoch, final DirectBuffer payload)
        {
            final long rttNs = System.nanoTime() - payload.getLong(0);
            if (events >= warmup)
            {
                histogram.recordValue(rttNs);
            }
            if (lastSeq >= 0 && seq != lastSeq + 1)
            {
                gaps++;
            }
            lastSeq = seq;
            events++;
        }

        public void onPublishAck(final long correlationId, final long seq)
        {
            acks++;
        }

        public void onSubscribed(final long correlationId, final DirectBuffer channel, final long seq)
        {
            lastSeq = seq;
            subscribed = true;
        }
    }
}
