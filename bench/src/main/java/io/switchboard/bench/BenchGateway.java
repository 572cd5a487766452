package io.switchboard.bench;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.switchboard.codecs.ChannelEventDecoder;
import io.switchboard.codecs.ErrorResponseDecoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.NodeHeartbeatDecoder;
import io.switchboard.codecs.NodeHeartbeatEncoder;
import io.switchboard.codecs.PublishAckDecoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.codecs.SubscribedDecoder;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A lean headless gateway for benchmarks: one Aeron subscription on its own listen channel, one publication to a
 * channel host, NodeHeartbeat every 100 ms (so the host knows it and keeps its subscriptions), and SBE flyweights
 * only: nothing is decoded into Strings and nothing is allocated per message, unlike the integrator client which
 * hands its listener Strings. See docs/protocol.md for the message sequences it follows.
 * <p>
 * Not thread-safe: one thread sends and calls {@link #poll()}, like an Aeron subscription.
 */
public final class BenchGateway implements FragmentHandler, AutoCloseable
{
    /** Same period as every Switchboard node: the host declares a gateway lost after 800 ms of silence. */
    private static final long HEARTBEAT_INTERVAL_NS = 100_000_000L;
    private static final int FRAGMENT_LIMIT = 64;

    /**
     * Receives what the host sends, inside {@link #poll()}. Views are valid only during the call.
     */
    public interface Listener
    {
        /**
         * @param channel name of the channel, a view.
         * @param seq     per-channel sequence number.
         * @param epoch   life of the channel's state.
         * @param payload view of the payload.
         */
        void onChannelEvent(DirectBuffer channel, long seq, long epoch, DirectBuffer payload);

        /**
         * @param correlationId of the Publish.
         * @param seq           given to the message.
         */
        void onPublishAck(long correlationId, long seq);

        /**
         * @param correlationId of the Subscribe.
         * @param channel       name, a view.
         * @param seq           last seq of the channel at subscription.
         */
        void onSubscribed(long correlationId, DirectBuffer channel, long seq);

        /**
         * @param correlationId of the failed request.
         * @param code          raw ErrorCode value.
         */
        default void onError(final long correlationId, final int code)
        {
            throw new IllegalStateException("error response " + code + " for request " + correlationId);
        }
    }

    private final int nodeId;
    private final int hostId;
    private final Listener listener;
    private final Subscription subscription;
    private final Publication publication;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(128 * 1024, 64));
    private final UnsafeBuffer heartbeatBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
    private final int heartbeatLength;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final NodeHeartbeatEncoder heartbeatEncoder = new NodeHeartbeatEncoder();
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final PublishEncoder publishEncoder = new PublishEncoder();
    private final ChannelEventDecoder eventDecoder = new ChannelEventDecoder();
    private final PublishAckDecoder ackDecoder = new PublishAckDecoder();
    private final SubscribedDecoder subscribedDecoder = new SubscribedDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private final UnsafeBuffer channelView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private long nextHeartbeatNs;
    private long nextCorrelationId = 1;
    private long hostHeartbeats;
    private long heartbeatsRefused;

    /**
     * @param aeron         connected client.
     * @param nodeId        this gateway's node id, unused by the cluster.
     * @param listenChannel where the host reaches this gateway (announced in heartbeats).
     * @param hostId        the channel host's node id.
     * @param hostChannel   the channel host's listen channel.
     * @param streamBase    inbound stream id = base + node id (1000 unless configured otherwise).
     * @param termLength    term length of the publication: must match the host's for IPC.
     * @param listener      receives events and replies.
     */
    public BenchGateway(
        final Aeron aeron,
        final int nodeId,
        final String listenChannel,
        final int hostId,
        final String hostChannel,
        final int streamBase,
        final int termLength,
        final Listener listener)
    {
        this.nodeId = nodeId;
        this.hostId = hostId;
        this.listener = listener;
        this.subscription = aeron.addSubscription(listenChannel, streamBase + nodeId);
        final ChannelUri uri = ChannelUri.parse(hostChannel);
        uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(termLength));
        // Exclusive: this gateway gets its own log and so its own image at the host, as a gateway in its own process
        // would. A concurrent publication shares one IPC log with every other sender in this driver, and a publisher
        // keeping that log full leaves no room for the other gateways' heartbeats.
        this.publication = aeron.addExclusivePublication(uri.toString(), streamBase + hostId);

        heartbeatEncoder.wrapAndApplyHeader(heartbeatBuffer, 0, headerEncoder)
            .nodeId(nodeId)
            .incarnation(System.currentTimeMillis())
            .timestampNs(System.currentTimeMillis() * 1_000_000L);
        heartbeatEncoder.roles().clear().gateway(true);
        heartbeatEncoder.nodeName("bench-gateway-" + nodeId).region("local").endpoint(listenChannel);
        heartbeatLength = MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength();
    }

    /**
     * Heartbeat when due and deliver what arrived.
     *
     * @return fragments received.
     */
    public int poll()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextHeartbeatNs >= 0)
        {
            heartbeatEncoder.timestampNs(System.currentTimeMillis() * 1_000_000L);
            // Heartbeats share the host's inbound stream with every Publish: while publishers keep it full, one
            // offer per interval mostly meets BACK_PRESSURED and the host declares this gateway lost after 800 ms.
            // So a refused heartbeat is retried on every poll until it gets in.
            if (publication.offer(heartbeatBuffer, 0, heartbeatLength) > 0)
            {
                nextHeartbeatNs = nowNs + HEARTBEAT_INTERVAL_NS;
            }
            else
            {
                heartbeatsRefused++;
            }
        }
        return subscription.poll(assembler, FRAGMENT_LIMIT);
    }

    /**
     * Heartbeat and poll until the host heard from us and we from it, so both directions are connected.
     *
     * @param timeoutMs how long to try.
     * @param idle      how to wait between polls.
     * @return true when connected both ways.
     */
    public boolean awaitHost(final long timeoutMs, final IdleStrategy idle)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (0 == hostHeartbeats || !publication.isConnected() || !subscription.isConnected())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            idle.idle(poll());
        }
        return true;
    }

    /**
     * @param channel name bytes.
     * @param offset  of the name.
     * @param length  of the name.
     * @return correlation id (&gt; 0), or the negative {@link Publication#offer} result: nothing was sent.
     */
    public long subscribe(final DirectBuffer channel, final int offset, final int length)
    {
        final long correlationId = nextCorrelationId;
        subscribeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(nodeId)
            .correlationId(correlationId)
            .putChannel(channel, offset, length);
        final long result = publication.offer(
            sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + subscribeEncoder.encodedLength());
        if (result < 0)
        {
            return result;
        }
        nextCorrelationId++;
        return correlationId;
    }

    /**
     * Offer one Publish; back-pressure is the caller's to handle (keep polling, so acks and events keep flowing).
     *
     * @param channel       buffer holding the channel name (whole buffer).
     * @param user          buffer holding the user (whole buffer).
     * @param payload       buffer holding the payload.
     * @param payloadLength bytes of payload from offset 0.
     * @return correlation id (&gt; 0), or the negative {@link Publication#offer} result: nothing was sent.
     */
    public long publish(
        final DirectBuffer channel, final DirectBuffer user, final DirectBuffer payload, final int payloadLength)
    {
        final long correlationId = nextCorrelationId;
        publishEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .nodeId(nodeId)
            .correlationId(correlationId)
            .timestampNs(0)
            .putChannel(channel, 0, channel.capacity())
            .putUser(user, 0, user.capacity())
            .putMessageId(user, 0, 0)
            .putPayload(payload, 0, payloadLength);
        final long result = publication.offer(
            sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + publishEncoder.encodedLength());
        if (result < 0)
        {
            return result;
        }
        nextCorrelationId++;
        return correlationId;
    }

    /**
     * @param channelLength name length.
     * @param userLength    user length.
     * @param payloadLength payload length.
     * @return encoded length of a Publish as {@link #publish} sends it, for sizing the raw baseline alike.
     */
    public static int publishLength(final int channelLength, final int userLength, final int payloadLength)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + PublishEncoder.BLOCK_LENGTH +
            PublishEncoder.channelHeaderLength() + channelLength +
            PublishEncoder.userHeaderLength() + userLength +
            PublishEncoder.messageIdHeaderLength() +
            PublishEncoder.payloadHeaderLength() + payloadLength;
    }

    /**
     * @return heartbeat offers refused (back-pressure, not yet connected) and retried.
     */
    public long heartbeatsRefused()
    {
        return heartbeatsRefused;
    }

    /**
     * @return node id of the host this gateway talks to.
     */
    public int hostId()
    {
        return hostId;
    }

    /**
     * {@inheritDoc}
     */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return;
        }

        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case ChannelEventDecoder.TEMPLATE_ID:
            {
                final ChannelEventDecoder event = eventDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final long seq = event.seq();
                final long epoch = event.epoch();
                event.wrapChannel(channelView);
                event.skipUser();
                event.skipMessageId();
                event.wrapPayload(payloadView);
                listener.onChannelEvent(channelView, seq, epoch, payloadView);
                break;
            }

            case PublishAckDecoder.TEMPLATE_ID:
            {
                final PublishAckDecoder ack = ackDecoder.wrap(buffer, bodyOffset, blockLength, version);
                listener.onPublishAck(ack.correlationId(), ack.seq());
                break;
            }

            case SubscribedDecoder.TEMPLATE_ID:
            {
                final SubscribedDecoder subscribed = subscribedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final long correlationId = subscribed.correlationId();
                final long seq = subscribed.seq();
                subscribed.wrapChannel(channelView);
                listener.onSubscribed(correlationId, channelView, seq);
                break;
            }

            case ErrorResponseDecoder.TEMPLATE_ID:
            {
                final ErrorResponseDecoder error = errorDecoder.wrap(buffer, bodyOffset, blockLength, version);
                listener.onError(error.correlationId(), error.codeRaw());
                break;
            }

            case NodeHeartbeatDecoder.TEMPLATE_ID:
                hostHeartbeats++;
                break;

            default:
                break;
        }
    }

    /**
     * Close the publication and subscription; the Aeron client belongs to the caller.
     */
    public void close()
    {
        CloseHelper.closeAll(publication, subscription);
    }
}
