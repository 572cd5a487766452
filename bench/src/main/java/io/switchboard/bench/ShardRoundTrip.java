package io.switchboard.bench;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.switchboard.transport.EngineWiring;
import io.switchboard.transport.IdleStrategies;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import io.switchboard.transport.TransportCounters;
import org.HdrHistogram.Histogram;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * The Switchboard side of {@link AeronRtt}: a channel-host node with one shard on the driver under test, and a
 * {@link BenchGateway} on the caller's thread that publishes a Publish carrying its send time and waits for the
 * ChannelEvent the shard sends back, one message in flight.
 * <p>
 * Not thread-safe: {@link #run} is called from one thread, which becomes the gateway.
 */
final class ShardRoundTrip
{
    /** The channel and user every round trip uses. */
    static final UnsafeBuffer CHANNEL = new UnsafeBuffer("bench-rtt".getBytes(StandardCharsets.UTF_8));
    static final UnsafeBuffer USER = new UnsafeBuffer("bench".getBytes(StandardCharsets.UTF_8));

    private static final int HOST_ID = 1;
    private static final int GATEWAY_ID = 2;
    private static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final Aeron aeron;
    private final String aeronDir;
    private final String hostChannel;
    private final String gatewayChannel;
    private final int termLength;
    private final RttProfile profile;

    /**
     * @param aeron          client attached to the driver under test, for the gateway.
     * @param aeronDir       that driver's directory, for the node.
     * @param hostChannel    the node's listen channel.
     * @param gatewayChannel the gateway's listen channel.
     * @param termLength     term length of every publication.
     * @param profile        idle strategies of agent, shard and gateway.
     */
    ShardRoundTrip(
        final Aeron aeron,
        final String aeronDir,
        final String hostChannel,
        final String gatewayChannel,
        final int termLength,
        final RttProfile profile)
    {
        this.aeron = aeron;
        this.aeronDir = aeronDir;
        this.hostChannel = hostChannel;
        this.gatewayChannel = gatewayChannel;
        this.termLength = termLength;
        this.profile = profile;
    }

    /**
     * @param payloadLength bytes of payload (at least 8: the send time).
     * @param warmup        round trips not recorded.
     * @param messages      round trips recorded.
     * @return what was measured.
     */
    Result run(final int payloadLength, final int warmup, final int messages)
    {
        final SwitchboardNode node = SwitchboardNode.launch(new NodeContext()
            .nodeId(HOST_ID)
            .nodeName("bench-rtt-host")
            .roles(EnumSet.of(Role.CHANNEL))
            .listenChannel(hostChannel)
            .aeronDir(aeronDir)
            .idleStrategy(profile.agentIdle())
            .channelShards(1)
            .shardWaitStrategy(profile.shardWait())
            .termLength(termLength), new EngineWiring());

        final Recorder recorder = new Recorder(warmup);
        final BenchGateway gateway = new BenchGateway(
            aeron, GATEWAY_ID, gatewayChannel, HOST_ID, hostChannel, 1000, termLength, recorder);
        try
        {
            final IdleStrategy idle = IdleStrategies.newInstance(profile.gatewayIdle());
            if (!gateway.awaitHost(10_000, idle))
            {
                throw new IllegalStateException("channel host not reachable over " + hostChannel);
            }
            while (gateway.subscribe(CHANNEL, 0, CHANNEL.capacity()) < 0)
            {
                idle.idle(gateway.poll());
            }
            final long deadlineNs = System.nanoTime() + STALL_TIMEOUT_NS;
            while (!recorder.subscribed)
            {
                awaitProgress(deadlineNs, "Subscribed", node);
                idle.idle(gateway.poll());
            }

            final UnsafeBuffer payload = new UnsafeBuffer(BufferUtil.allocateDirectAligned(payloadLength, 64));
            for (int i = 0, total = warmup + messages; i < total; i++)
            {
                payload.putLong(0, System.nanoTime());
                publish(gateway, payload, payloadLength, idle);
                awaitEvent(gateway, recorder, i + 1, idle, node);
            }

            // Let the last acks arrive so the counts are complete.
            final long drainNs = System.nanoTime() + STALL_TIMEOUT_NS;
            while (recorder.acks < warmup + messages)
            {
                awaitProgress(drainNs, "last PublishAck", node);
                idle.idle(gateway.poll());
            }
            return new Result(recorder.histogram, recorder.dropped, recorder.gaps, hostCounters(node));
        }
        finally
        {
            CloseHelper.closeAll(gateway, node);
        }
    }

    private static void publish(
        final BenchGateway gateway, final UnsafeBuffer payload, final int payloadLength, final IdleStrategy idle)
    {
        idle.reset();
        long result;
        while ((result = gateway.publish(CHANNEL, USER, payload, payloadLength)) < 0)
        {
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException("publication failed: " + result);
            }
            idle.idle(gateway.poll());
        }
    }

    private static void awaitEvent(
        final BenchGateway gateway,
        final Recorder recorder,
        final long sent,
        final IdleStrategy idle,
        final SwitchboardNode node)
    {
        // The shard sends the ChannelEvent, then the PublishAck, on one publication: an ack that arrives without its
        // event means the host dropped the event (back-pressure past its offer timeout), so stop waiting for it.
        final long expected = recorder.events + 1;
        final long stallNs = System.nanoTime() + STALL_TIMEOUT_NS;
        idle.reset();
        while (recorder.events < expected && recorder.acks < sent)
        {
            final int work = gateway.poll();
            if (0 == work)
            {
                awaitProgress(stallNs, "ChannelEvent " + expected, node);
            }
            idle.idle(work);
        }
        if (recorder.events < expected)
        {
            recorder.events = expected;
            recorder.dropped++;
        }
    }

    private static void awaitProgress(final long deadlineNs, final String what, final SwitchboardNode node)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException("no " + what + " within " + TimeUnit.NANOSECONDS.toSeconds(STALL_TIMEOUT_NS) +
                " s; host " + hostCounters(node) + " (if the log says the host lost the gateway, the machine was too " +
                "loaded to heartbeat for 800 ms)");
        }
    }

    private static String hostCounters(final SwitchboardNode node)
    {
        final TransportCounters counters = node.counters();
        return "offer retries " + counters.offerRetries.get() + ", offer failures " +
            counters.offerBackPressureFailures.get() + ", not connected " + counters.offerNotConnected.get() +
            ", peers lost " + counters.peersLost.get();
    }

    /**
     * What the Switchboard path measured.
     *
     * @param histogram    round trips in nanoseconds.
     * @param dropped      ChannelEvents the host gave up sending (acked but never received).
     * @param gaps         seq numbers skipped between received ChannelEvents (equals dropped when all is well).
     * @param hostCounters the host's offer counters, for the summary.
     */
    record Result(Histogram histogram, long dropped, long gaps, String hostCounters)
    {
    }

    /**
     * Records send-to-receive time of each ChannelEvent and checks seq, on the gateway thread.
     */
    private static final class Recorder implements BenchGateway.Listener
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final int warmup;
        boolean subscribed;
        long events;
        long acks;
        long dropped;
        long gaps;
        long lastSeq = -1;

        Recorder(final int warmup)
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
                gaps += Math.abs(seq - lastSeq - 1);
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
