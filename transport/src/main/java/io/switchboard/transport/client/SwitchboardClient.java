package io.switchboard.transport.client;

import io.aeron.Aeron;
import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.HistoryRequestEncoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.codecs.TransientEncoder;
import io.switchboard.codecs.UnsubscribeEncoder;
import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.partition.Partitioner;
import io.switchboard.transport.EmbeddedDriver;
import io.switchboard.transport.HostRouting;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.NodeAgent;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Peer;
import io.switchboard.transport.PeerListener;
import io.switchboard.transport.PeerSpec;
import io.switchboard.transport.Role;
import io.switchboard.transport.TransportCounters;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java client for integrators: a headless gateway that talks to channel hosts over Aeron with the SBE protocol
 * of docs/protocol.md. It subscribes to channels, publishes, receives events and asks for history; it notices a
 * lost channel host within the peer timeout, fails what was pending on it with {@link ErrorCode#UNAVAILABLE}, and
 * re-subscribes that host's channels when it returns.
 * <p>
 * Not thread-safe: like an Aeron subscription, it belongs to one thread, which calls the request methods and
 * {@link #poll()}; every callback of the {@link ClientListener} runs inside {@link #poll()}.
 */
public final class SwitchboardClient implements AutoCloseable
{
    /** The channel's host is lost: nothing was sent. */
    public static final long UNAVAILABLE = -1;
    /** The host's stream stayed back-pressured past the offer bound: nothing was sent. */
    public static final long BACK_PRESSURED = -2;
    /** No connection to the host yet: nothing was sent. */
    public static final long NOT_CONNECTED = -3;
    /** Too large for the transport: nothing was sent. */
    public static final long TOO_LARGE = -4;

    private static final long REQUEST_TIMEOUT_NS = 5_000_000_000L;

    private final NodeContext context;
    private final ClientListener listener;
    private final EmbeddedDriver driver;
    private final Aeron aeron;
    private final TransportCounters counters;
    private final NodeAgent agent;
    private final HostRouting routing;
    private final Map<Integer, Boolean> hostAvailable = new HashMap<>();
    private final Map<String, ChannelState> channels = new LinkedHashMap<>();
    private final Long2ObjectHashMap<PendingRequest> pending = new Long2ObjectHashMap<>();
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(128 * 1024));
    private final UnsafeBuffer nameBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final UnsubscribeEncoder unsubscribeEncoder = new UnsubscribeEncoder();
    private final PublishEncoder publishEncoder = new PublishEncoder();
    private final TransientEncoder transientEncoder = new TransientEncoder();
    private final HistoryRequestEncoder historyEncoder = new HistoryRequestEncoder();
    private final io.switchboard.codecs.ReactEncoder reactEncoder = new io.switchboard.codecs.ReactEncoder();
    private long nextCorrelationId = 1;

    private SwitchboardClient(final NodeContext context, final ClientListener listener)
    {
        this.context = context.roles(EnumSet.of(Role.GATEWAY)).conclude();
        this.listener = listener;
        final List<Integer> hosts = new ArrayList<>();
        for (final PeerSpec peer : context.peers())
        {
            if (peer.roles().contains(Role.CHANNEL))
            {
                hosts.add(peer.nodeId());
                hostAvailable.put(peer.nodeId(), Boolean.FALSE);
            }
        }
        this.routing = new HostRouting(new Partitioner(context.partitions()), hosts);
        this.driver = context.externalDriver() ? null : EmbeddedDriver.launch(context);
        final String aeronDir = context.externalDriver() ? context.aeronDir() : driver.aeronDirectoryName();
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        this.counters = new TransportCounters(aeron, context.nodeName());
        this.agent = new NodeAgent(context, aeron, counters, new HostWatcher(), this::expireRequests);
        final InboundHandler inbound = new ClientInbound(listener, channels, pending, this::history);
        for (final int templateId : ClientInbound.TEMPLATE_IDS)
        {
            agent.handle(templateId, inbound);
        }
    }

    /**
     * Connect. The context names this client's node id (unique in the cluster), the channel it receives on (for
     * UDP an endpoint the hosts can reach), and the channel hosts as peers with the channel role.
     *
     * @param context  client node configuration.
     * @param listener receives events and replies inside {@link #poll()}.
     * @return the client; hosts become available as their heartbeats arrive (see {@link #awaitHosts}).
     */
    public static SwitchboardClient connect(final NodeContext context, final ClientListener listener)
    {
        return new SwitchboardClient(context, listener);
    }

    /**
     * Do the client's work: receive, heartbeat, notice lost hosts, time out requests.
     *
     * @return work done, 0 when idle.
     */
    public int poll()
    {
        return agent.doWork();
    }

    /**
     * Poll until every configured channel host has been heard from.
     *
     * @param timeoutMs how long to try.
     * @return true when all hosts are available.
     */
    public boolean awaitHosts(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (hostAvailable.containsValue(Boolean.FALSE))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            if (0 == poll())
            {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        return true;
    }

    /**
     * Subscribe to a channel; {@link ClientListener#onSubscribed} follows, then its messages.
     *
     * @param channel name.
     * @return correlation id (&gt; 0) or a negative code ({@link #UNAVAILABLE}, ...).
     */
    public long subscribe(final String channel)
    {
        final int host = ownerOf(channel);
        if (!isAvailable(host))
        {
            return UNAVAILABLE;
        }
        final long correlationId = nextCorrelationId++;
        subscribeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(context.nodeId()).correlationId(correlationId).channel(channel);
        final long result = sendRequest(host, subscribeEncoder.encodedLength(), correlationId, channel);
        if (result > 0)
        {
            channels.computeIfAbsent(channel, c -> new ChannelState(host));
        }
        return result;
    }

    /**
     * @param channel name.
     * @return correlation id (&gt; 0) or a negative code.
     */
    public long unsubscribe(final String channel)
    {
        final int host = ownerOf(channel);
        channels.remove(channel);
        if (!isAvailable(host))
        {
            return UNAVAILABLE;
        }
        final long correlationId = nextCorrelationId++;
        unsubscribeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(context.nodeId()).correlationId(correlationId).channel(channel);
        final long result = send(host, unsubscribeEncoder.encodedLength());
        return result < 0 ? result : correlationId;
    }

    /**
     * Publish a persistent message; {@link ClientListener#onPublishAck} or {@link ClientListener#onError} follows.
     *
     * @param channel   name.
     * @param user      publishing user.
     * @param messageId caller's id for the message (echoed in the ack and the event).
     * @param payload   buffer holding the payload (client JSON for browser subscribers).
     * @param offset    of the payload.
     * @param length    of the payload, at most 65536.
     * @return correlation id (&gt; 0) or a negative code: nothing was sent.
     */
    public long publish(
        final String channel,
        final String user,
        final String messageId,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int host = ownerOf(channel);
        if (!isAvailable(host))
        {
            return UNAVAILABLE;
        }
        final long correlationId = nextCorrelationId++;
        publishEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(context.nodeId())
            .correlationId(correlationId)
            .timestampNs(epochNanos())
            .channel(channel)
            .user(user)
            .messageId(messageId)
            .putPayload(payload, offset, length);
        return sendRequest(host, publishEncoder.encodedLength(), correlationId, channel);
    }

    /**
     * Send a transient event (never stored, no seq) to a channel's subscribers.
     *
     * @param channel   name.
     * @param user      sender.
     * @param eventName e.g. "typing".
     * @param ttlMs     receivers drop it when older.
     * @param payload   buffer holding the payload.
     * @param offset    of the payload.
     * @param length    of the payload.
     * @return 0 when sent, or a negative code.
     */
    public long sendTransient(
        final String channel,
        final String user,
        final String eventName,
        final int ttlMs,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int host = ownerOf(channel);
        if (!isAvailable(host))
        {
            return UNAVAILABLE;
        }
        transientEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(context.nodeId())
            .sessionId(0)
            .timestampNs(epochNanos())
            .ttlMs(ttlMs)
            .channel(channel)
            .user(user)
            .eventName(eventName)
            .putPayload(payload, offset, length);
        final long result = send(host, transientEncoder.encodedLength());
        return result < 0 ? result : 0;
    }

    /**
     * React to a message; subscribers receive batched counts in {@link ClientListener#onReactions}.
     *
     * @param channel name.
     * @param target  what is reacted to (a message id).
     * @param user    who reacts.
     * @param emoji   the reaction.
     * @return 0 when sent, or a negative code.
     */
    public long react(final String channel, final String target, final String user, final String emoji)
    {
        final int host = ownerOf(channel);
        if (!isAvailable(host))
        {
            return UNAVAILABLE;
        }
        reactEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(context.nodeId())
            .timestampNs(epochNanos())
            .channel(channel)
            .target(target)
            .user(user)
            .emoji(emoji);
        final long result = send(host, reactEncoder.encodedLength());
        return result < 0 ? result : 0;
    }

    /**
     * Ask for messages after {@code since}; {@link ClientListener#onHistory} follows.
     *
     * @param channel     name.
     * @param since       last seq already seen (0 for the oldest retained).
     * @param epoch       epoch that since belongs to, 0 when unknown.
     * @param maxMessages at most this many.
     * @return correlation id (&gt; 0) or a negative code.
     */
    public long history(final String channel, final long since, final long epoch, final int maxMessages)
    {
        final int host = ownerOf(channel);
        if (!isAvailable(host))
        {
            return UNAVAILABLE;
        }
        final long correlationId = nextCorrelationId++;
        historyEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(context.nodeId())
            .correlationId(correlationId)
            .since(since)
            .epoch(epoch)
            .maxMessages(maxMessages)
            .channel(channel);
        return sendRequest(host, historyEncoder.encodedLength(), correlationId, channel);
    }

    /**
     * @param channel name.
     * @return true when its host is up.
     */
    public boolean isAvailable(final String channel)
    {
        return isAvailable(ownerOf(channel));
    }

    /**
     * @return this client's counters (rejections, offer failures), also visible to AeronStat.
     */
    public TransportCounters counters()
    {
        return counters;
    }

    /**
     * @return requests sent and not yet answered.
     */
    public int pendingRequests()
    {
        return pending.size();
    }

    /**
     * Close the client, its publications, subscription and any embedded driver.
     */
    public void close()
    {
        agent.onClose();
        CloseHelper.closeAll(counters, aeron, driver);
    }

    private boolean isAvailable(final int host)
    {
        return Boolean.TRUE.equals(hostAvailable.get(host));
    }

    private int ownerOf(final String channel)
    {
        final int length = nameBuffer.putStringWithoutLengthUtf8(0, channel);
        return routing.ownerOf(nameBuffer, 0, length);
    }

    private long sendRequest(final int host, final int bodyLength, final long correlationId, final String channel)
    {
        // A request is tracked only once it is on its way, so a refused send never leaves one pending.
        final long result = send(host, bodyLength);
        if (result < 0)
        {
            return result;
        }
        pending.put(correlationId, new PendingRequest(channel, host, REQUEST_TIMEOUT_NS));
        return correlationId;
    }

    private long send(final int host, final int bodyLength)
    {
        final int result = agent.peers().send(host, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + bodyLength);
        switch (result)
        {
            case OutboundSink.SENT:
                return 0;
            case OutboundSink.BACK_PRESSURED:
                return BACK_PRESSURED;
            case OutboundSink.TOO_LARGE:
                return TOO_LARGE;
            default:
                return NOT_CONNECTED;
        }
    }

    private static long epochNanos()
    {
        return System.currentTimeMillis() * 1_000_000L;
    }

    private void expireRequests()
    {
        final long nowNs = System.nanoTime();
        final Iterator<Map.Entry<Long, PendingRequest>> it = pending.entrySet().iterator();
        List<long[]> expired = null;
        while (it.hasNext())
        {
            final Map.Entry<Long, PendingRequest> entry = it.next();
            if (nowNs - entry.getValue().deadlineNs > 0)
            {
                if (null == expired)
                {
                    expired = new ArrayList<>();
                }
                expired.add(new long[]{ entry.getKey() });
            }
        }
        if (null != expired)
        {
            for (final long[] id : expired)
            {
                final PendingRequest request = pending.remove(id[0]);
                listener.onError(id[0], ErrorCode.UNAVAILABLE, request.channel,
                    "no reply within " + REQUEST_TIMEOUT_NS / 1_000_000 + " ms");
            }
        }
    }

    private final class HostWatcher implements PeerListener
    {
        public void onPeerUp(final Peer peer, final boolean restarted)
        {
            if (!hostAvailable.containsKey(peer.nodeId()))
            {
                return;
            }
            hostAvailable.put(peer.nodeId(), Boolean.TRUE);
            listener.onHostUp(peer.nodeId(), restarted);
            for (final Map.Entry<String, ChannelState> entry : channels.entrySet())
            {
                if (entry.getValue().host == peer.nodeId())
                {
                    resubscribe(entry.getKey(), peer.nodeId());
                }
            }
        }

        public void onPeerLost(final Peer peer)
        {
            if (!hostAvailable.containsKey(peer.nodeId()))
            {
                return;
            }
            hostAvailable.put(peer.nodeId(), Boolean.FALSE);
            final List<Long> failed = new ArrayList<>();
            for (final Map.Entry<Long, PendingRequest> entry : pending.entrySet())
            {
                if (entry.getValue().host == peer.nodeId())
                {
                    failed.add(entry.getKey());
                }
            }
            for (final Long correlationId : failed)
            {
                final PendingRequest request = pending.remove(correlationId.longValue());
                listener.onError(correlationId, ErrorCode.UNAVAILABLE, request.channel,
                    "channel host " + peer.name() + " lost");
            }
            listener.onHostLost(peer.nodeId());
        }

        private void resubscribe(final String channel, final int host)
        {
            subscribeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .nodeId(context.nodeId()).correlationId(0).channel(channel);
            send(host, subscribeEncoder.encodedLength());
        }
    }
}
