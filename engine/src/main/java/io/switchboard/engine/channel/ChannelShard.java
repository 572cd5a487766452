package io.switchboard.engine.channel;

import io.switchboard.codecs.ChannelEventEncoder;
import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.ErrorResponseEncoder;
import io.switchboard.codecs.HistoryRequestDecoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.NodeLostDecoder;
import io.switchboard.codecs.PublishAckEncoder;
import io.switchboard.codecs.PublishDecoder;
import io.switchboard.codecs.ReactDecoder;
import io.switchboard.codecs.SubscribeDecoder;
import io.switchboard.codecs.SubscribedEncoder;
import io.switchboard.codecs.TransientDecoder;
import io.switchboard.codecs.TransientEventEncoder;
import io.switchboard.engine.reaction.ReactionBatchConsumer;
import io.switchboard.engine.reaction.ReactionBatcher;
import io.switchboard.codecs.UnsubscribeDecoder;
import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.ShardHandler;
import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

import static io.switchboard.engine.channel.ChannelTable.NO_CHANNEL;
import static io.switchboard.engine.channel.ChannelTable.NO_ENTRY;
import static io.switchboard.engine.channel.HistoryLog.NO_POSITION;

/**
 * The state of one shard of a channel host: per channel its subscribed gateways, its gap-free seq within an epoch
 * and its recent history, driven only by SBE messages and answering with SBE messages through an
 * {@link OutboundSink}.
 * <ul>
 *     <li>Subscribe: one subscription per channel per gateway, answered by Subscribed (last seq and epoch); creates
 *     the channel.</li>
 *     <li>Unsubscribe: no reply; a channel with neither subscribers nor retained history is removed.</li>
 *     <li>Publish: next seq, appended to history, one ChannelEvent per subscribed gateway (encoded once), then
 *     PublishAck to the publisher; creates the channel.</li>
 *     <li>Transient: re-encoded once as a TransientEvent (origin node, session, timestamp, TTL kept) and sent once per subscribed gateway; no seq, not stored.</li>
 *     <li>React: counted by a ReactionBatcher per (channel, target); one ReactionBatch per window goes to every subscribed gateway.</li>
 *     <li>HistoryRequest: a HistoryResponse page, oldest first; never creates a channel.</li>
 *     <li>NodeLost: every subscription of that gateway dropped.</li>
 * </ul>
 * Failures go back as ErrorResponse with a fixed message. Steady-state message handling allocates nothing; memory is
 * a few primitive-array entries and the name's bytes per channel (see {@link ChannelTable}).
 * <p>
 * Not thread-safe: owned by one Disruptor handler thread, which makes every call, counter getters included.
 */
public final class ChannelShard implements ShardHandler
{
    private static final int REPLY_BUFFER_LENGTH = 4096;
    private static final int EVENT_BUFFER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH +
        ChannelEventEncoder.BLOCK_LENGTH + 3 * (2 + HistoryLog.MAX_NAME_LENGTH) + 4 + HistoryLog.MAX_PAYLOAD_LENGTH;

    private static final UnsafeBuffer BAD_CHANNEL_NAME = text("channel name must be 1 to 1024 bytes");
    private static final UnsafeBuffer BAD_MAX_MESSAGES = text("maxMessages must be positive");
    private static final UnsafeBuffer TOO_LARGE_FIELDS = text("user, messageId or payload exceeds its bound");

    private final CountingSender sender;
    private final KeyHasher keyHasher;
    private final int maxHistoryMessages;
    private final ChannelTable channels;
    private final Subscriptions subscriptions;
    private final HistoryLog history;
    private final HistoryResponder historyResponder;
    private final IntConsumer removeIfIdle = this::removeIfIdle;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SubscribeDecoder subscribeDecoder = new SubscribeDecoder();
    private final UnsubscribeDecoder unsubscribeDecoder = new UnsubscribeDecoder();
    private final PublishDecoder publishDecoder = new PublishDecoder();
    private final TransientDecoder transientDecoder = new TransientDecoder();
    private final ReactDecoder reactDecoder = new ReactDecoder();
    private final HistoryRequestDecoder historyRequestDecoder = new HistoryRequestDecoder();
    private final NodeLostDecoder nodeLostDecoder = new NodeLostDecoder();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SubscribedEncoder subscribedEncoder = new SubscribedEncoder();
    private final PublishAckEncoder publishAckEncoder = new PublishAckEncoder();
    private final ChannelEventEncoder channelEventEncoder = new ChannelEventEncoder();
    private final ErrorResponseEncoder errorResponseEncoder = new ErrorResponseEncoder();
    private final UnsafeBuffer replyBuffer = new UnsafeBuffer(new byte[REPLY_BUFFER_LENGTH]);
    private final UnsafeBuffer eventBuffer = new UnsafeBuffer(new byte[EVENT_BUFFER_LENGTH]);

    private final UnsafeBuffer channelName = new UnsafeBuffer();
    private final UnsafeBuffer user = new UnsafeBuffer();
    private final UnsafeBuffer messageId = new UnsafeBuffer();
    private final UnsafeBuffer payload = new UnsafeBuffer();
    private final UnsafeBuffer reactionName = new UnsafeBuffer();
    private final TransientEventEncoder transientEventEncoder = new TransientEventEncoder();
    private final ReactionBatcher reactions = new ReactionBatcher();
    private final ReactionBatchConsumer reactionFanOut = this::fanOutReactions;
    private final long epochAnchorNs = System.currentTimeMillis() * 1_000_000L;
    private final long nanoAnchor = System.nanoTime();
    private long reactionBatchesDelivered;

    private int pinnedChannel = NO_CHANNEL;
    private long published;
    private long delivered;
    private long transientsDelivered;
    private long ignoredMessages;

    /**
     * @param ctx configuration; concluded here.
     */
    public ChannelShard(final ChannelShardContext ctx)
    {
        ctx.conclude();
        this.sender = new CountingSender(ctx.outboundSink());
        this.keyHasher = ctx.keyHasher();
        this.maxHistoryMessages = ctx.maxHistoryMessages();
        this.channels = new ChannelTable(keyHasher, ctx.epochBase());
        this.subscriptions = new Subscriptions(channels);
        this.history = new HistoryLog(ctx.historyBytes(), this::onEvicted);
        this.historyResponder = new HistoryResponder(history, maxHistoryMessages, ctx.maxResponseBytes());
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != SubscribeDecoder.SCHEMA_ID)
        {
            ignoredMessages++;
            return;
        }

        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case PublishDecoder.TEMPLATE_ID:
                onPublish(publishDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case TransientDecoder.TEMPLATE_ID:
                onTransient(transientDecoder.wrap(buffer, bodyOffset, blockLength, version), buffer, offset, length);
                break;

            case SubscribeDecoder.TEMPLATE_ID:
                onSubscribe(subscribeDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case UnsubscribeDecoder.TEMPLATE_ID:
                onUnsubscribe(unsubscribeDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case HistoryRequestDecoder.TEMPLATE_ID:
                onHistoryRequest(historyRequestDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case ReactDecoder.TEMPLATE_ID:
                onReact(reactDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case NodeLostDecoder.TEMPLATE_ID:
                onNodeLost(nodeLostDecoder.wrap(buffer, bodyOffset, blockLength, version).nodeId());
                break;

            default:
                ignoredMessages++;
        }
    }

    /**
     * @return live channels.
     */
    public int channelCount()
    {
        return channels.count();
    }

    /**
     * @return gateways holding at least one subscription.
     */
    public int gatewayCount()
    {
        return subscriptions.gatewayCount();
    }

    /**
     * @return persistent messages given a seq.
     */
    public long publishedCount()
    {
        return published;
    }

    /**
     * @return ChannelEvents the sink accepted.
     */
    public long deliveredCount()
    {
        return delivered;
    }

    /**
     * @return Transient forwards the sink accepted.
     */
    public long transientsDeliveredCount()
    {
        return transientsDelivered;
    }

    /**
     * @param sinkResult a negative {@link OutboundSink} result code.
     * @return sends of any kind that failed with it; unknown negative codes are counted together.
     */
    public long sendFailureCount(final int sinkResult)
    {
        return sender.failures(sinkResult);
    }

    /**
     * @return history entries evicted to make room.
     */
    public long evictedCount()
    {
        return history.evictedEntries();
    }

    /**
     * @return history bytes currently held, at most the configured capacity.
     */
    public long historyBytesHeld()
    {
        return history.headPosition() - history.tailPosition();
    }

    /**
     * @return messages of other templates or schemas, ignored.
     */
    public long ignoredCount()
    {
        return ignoredMessages;
    }

    private void onSubscribe(final SubscribeDecoder decoder)
    {
        final int nodeId = decoder.nodeId();
        final long correlationId = decoder.correlationId();
        decoder.wrapChannel(channelName);
        if (!isValidName(channelName))
        {
            sendError(nodeId, correlationId, ErrorCode.BAD_REQUEST, BAD_CHANNEL_NAME);
            return;
        }

        final int channel = findOrAdd(channelName);
        subscriptions.subscribe(channel, nodeId);

        subscribedEncoder.wrapAndApplyHeader(replyBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .seq(channels.lastSeq(channel))
            .epoch(channels.epoch(channel))
            .putChannel(channelName, 0, channelName.capacity());
        send(nodeId, replyBuffer, MessageHeaderEncoder.ENCODED_LENGTH + subscribedEncoder.encodedLength());
    }

    private void onUnsubscribe(final UnsubscribeDecoder decoder)
    {
        final int nodeId = decoder.nodeId();
        decoder.wrapChannel(channelName);
        if (!isValidName(channelName))
        {
            return;
        }

        final int channel = find(channelName);
        if (NO_CHANNEL != channel && subscriptions.unsubscribe(channel, nodeId))
        {
            removeIfIdle(channel);
        }
    }

    private void onPublish(final PublishDecoder decoder)
    {
        final int nodeId = decoder.nodeId();
        final long correlationId = decoder.correlationId();
        final long timestampNs = decoder.timestampNs();
        decoder.wrapChannel(channelName);
        decoder.wrapUser(user);
        decoder.wrapMessageId(messageId);
        decoder.wrapPayload(payload);
        if (!isValidName(channelName))
        {
            sendError(nodeId, correlationId, ErrorCode.BAD_REQUEST, BAD_CHANNEL_NAME);
            return;
        }

        if (user.capacity() > HistoryLog.MAX_NAME_LENGTH || messageId.capacity() > HistoryLog.MAX_NAME_LENGTH ||
            payload.capacity() > HistoryLog.MAX_PAYLOAD_LENGTH)
        {
            sendError(nodeId, correlationId, ErrorCode.TOO_LARGE, TOO_LARGE_FIELDS);
            return;
        }

        final int channel = findOrAdd(channelName);
        final long seq = channels.nextSeq(channel);
        final long epoch = channels.epoch(channel);

        // Pinned so that evicting this channel's own older entries cannot remove it while it is being appended to.
        final long previous = newestPosition(channel);
        pinnedChannel = channel;
        final long position = history.append(channel, previous, seq, timestampNs, user, messageId, payload);
        pinnedChannel = NO_CHANNEL;
        channels.newestEntry(channel, history.entryRef(position));
        published++;

        channelEventEncoder.wrapAndApplyHeader(eventBuffer, 0, headerEncoder)
            .seq(seq)
            .epoch(epoch)
            .timestampNs(timestampNs)
            .putChannel(channelName, 0, channelName.capacity())
            .putUser(user, 0, user.capacity())
            .putMessageId(messageId, 0, messageId.capacity())
            .putPayload(payload, 0, payload.capacity());
        delivered += subscriptions.fanOut(
            channel, sender, eventBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + channelEventEncoder.encodedLength());

        publishAckEncoder.wrapAndApplyHeader(replyBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .seq(seq)
            .epoch(epoch)
            .putChannel(channelName, 0, channelName.capacity())
            .putMessageId(messageId, 0, messageId.capacity());
        send(nodeId, replyBuffer, MessageHeaderEncoder.ENCODED_LENGTH + publishAckEncoder.encodedLength());
    }

    private void onTransient(
        final TransientDecoder decoder, final DirectBuffer buffer, final int offset, final int length)
    {
        final int originNode = decoder.nodeId();
        final long sessionId = decoder.sessionId();
        final long timestampNs = decoder.timestampNs();
        final int ttlMs = decoder.ttlMs();
        decoder.wrapChannel(channelName);
        if (!isValidName(channelName))
        {
            return;
        }

        final int channel = find(channelName);
        if (NO_CHANNEL == channel)
        {
            return; // nobody to tell, and transients never create state
        }

        decoder.wrapUser(user);
        decoder.wrapEventName(messageId);
        decoder.wrapPayload(payload);
        // A separate template for the fan-out: a node playing gateway and channel roles receives both directions
        // on one stream. Origin node and session travel so the sender's gateway can skip the sending session.
        transientEventEncoder.wrapAndApplyHeader(eventBuffer, 0, headerEncoder)
            .nodeId(originNode)
            .sessionId(sessionId)
            .timestampNs(timestampNs)
            .ttlMs(ttlMs)
            .putChannel(channelName, 0, channelName.capacity())
            .putUser(user, 0, user.capacity())
            .putEventName(messageId, 0, messageId.capacity())
            .putPayload(payload, 0, payload.capacity());
        transientsDelivered += subscriptions.fanOut(
            channel, sender, eventBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + transientEventEncoder.encodedLength());
    }

    private void onHistoryRequest(final HistoryRequestDecoder decoder)
    {
        final int nodeId = decoder.nodeId();
        final long correlationId = decoder.correlationId();
        final long since = decoder.since();
        final long epoch = decoder.epoch();
        final int maxMessages = decoder.maxMessages();
        decoder.wrapChannel(channelName);
        if (!isValidName(channelName))
        {
            sendError(nodeId, correlationId, ErrorCode.BAD_REQUEST, BAD_CHANNEL_NAME);
            return;
        }

        if (maxMessages <= 0)
        {
            sendError(nodeId, correlationId, ErrorCode.BAD_REQUEST, BAD_MAX_MESSAGES);
            return;
        }

        final int channel = find(channelName);
        final int length;
        if (NO_CHANNEL == channel)
        {
            length = historyResponder.encodeUnknown(correlationId, since, epoch, channelName);
        }
        else
        {
            final long channelEpoch = channels.epoch(channel);
            final boolean epochMatches = 0 == epoch || channelEpoch == epoch;
            length = historyResponder.encode(
                correlationId,
                channelEpoch,
                channels.lastSeq(channel),
                newestPosition(channel),
                epochMatches ? since : 0,
                epochMatches,
                Math.min(maxMessages, maxHistoryMessages),
                channelName);
        }
        send(nodeId, historyResponder.buffer(), length);
    }

    /**
     * Reactions are aggregated per (channel, target) by a ReactionBatcher, to be wired in here; until then they are
     * counted as ignored.
     */
    private void onReact(final ReactDecoder decoder)
    {
        decoder.wrapChannel(channelName);
        if (!isValidName(channelName) || NO_CHANNEL == find(channelName))
        {
            ignoredMessages++; // no subscriber can see it: nothing to count
            return;
        }
        decoder.wrapTarget(messageId);
        decoder.wrapUser(user);
        decoder.wrapEmoji(payload);
        if (!reactions.add(channelName, 0, channelName.capacity(), messageId, 0, messageId.capacity(),
            payload, 0, payload.capacity(), epochNanos()))
        {
            ignoredMessages++;
        }
    }

    /**
     * Emit the reaction batches whose window has ended.
     *
     * @param nowNs monotonic time (unused: windows follow the shard's epoch clock so batches carry wall time).
     * @return batches emitted.
     */
    public int onTimer(final long nowNs)
    {
        return reactions.flushDue(epochNanos(), reactionFanOut);
    }

    private void fanOutReactions(
        final DirectBuffer channel, final int channelOffset, final int channelLength,
        final DirectBuffer message, final int messageOffset, final int messageLength)
    {
        reactionName.wrap(channel, channelOffset, channelLength);
        final int index = find(reactionName);
        if (NO_CHANNEL != index)
        {
            reactionBatchesDelivered += subscriptions.fanOut(index, sender, message, messageOffset, messageLength);
        }
    }

    /**
     * @return ReactionBatch messages the sink accepted.
     */
    public long reactionBatchesDeliveredCount()
    {
        return reactionBatchesDelivered;
    }

    private long epochNanos()
    {
        // Wall-clock nanoseconds that never run backwards within this shard's life.
        return epochAnchorNs + (System.nanoTime() - nanoAnchor);
    }

    private void onNodeLost(final int nodeId)
    {
        subscriptions.dropGateway(nodeId, removeIfIdle);
    }

    /**
     * Keeps the invariant the 32-bit entry refs rely on: a channel's newest entry is retained or is
     * {@link ChannelTable#NO_ENTRY}.
     */
    private void onEvicted(final int channel, final long position)
    {
        if (channels.newestEntry(channel) == history.entryRef(position))
        {
            channels.newestEntry(channel, NO_ENTRY);
            removeIfIdle(channel);
        }
    }

    private void removeIfIdle(final int channel)
    {
        if (channel != pinnedChannel &&
            NO_ENTRY == channels.newestEntry(channel) &&
            !subscriptions.hasSubscribers(channel))
        {
            channels.remove(channel);
        }
    }

    private long newestPosition(final int channel)
    {
        final int entryRef = channels.newestEntry(channel);
        return NO_ENTRY == entryRef ? NO_POSITION : history.position(entryRef);
    }

    private void send(final int nodeId, final DirectBuffer buffer, final int length)
    {
        sender.send(nodeId, buffer, 0, length);
    }

    private void sendError(final int nodeId, final long correlationId, final ErrorCode code, final DirectBuffer text)
    {
        errorResponseEncoder.wrapAndApplyHeader(replyBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .putChannel(channelName, 0, Math.min(channelName.capacity(), HistoryLog.MAX_NAME_LENGTH))
            .putMessage(text, 0, text.capacity());
        send(nodeId, replyBuffer, MessageHeaderEncoder.ENCODED_LENGTH + errorResponseEncoder.encodedLength());
    }

    private int find(final DirectBuffer name)
    {
        final int length = name.capacity();
        return channels.find(name, 0, length, keyHasher.hash(name, 0, length));
    }

    private int findOrAdd(final DirectBuffer name)
    {
        final int length = name.capacity();
        final long key = keyHasher.hash(name, 0, length);
        final int channel = channels.find(name, 0, length, key);

        return NO_CHANNEL != channel ? channel : channels.add(name, 0, length, key);
    }

    private static boolean isValidName(final DirectBuffer name)
    {
        final int length = name.capacity();
        return length > 0 && length <= HistoryLog.MAX_NAME_LENGTH;
    }

    private static UnsafeBuffer text(final String value)
    {
        return new UnsafeBuffer(value.getBytes(StandardCharsets.UTF_8));
    }
}
