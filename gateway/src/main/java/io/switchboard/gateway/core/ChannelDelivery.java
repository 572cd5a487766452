package io.switchboard.gateway.core;

import io.switchboard.codecs.ChannelEventDecoder;
import io.switchboard.codecs.ReactionBatchDecoder;
import io.switchboard.codecs.TransientEventDecoder;
import io.switchboard.gateway.GatewayMetrics;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers what channel hosts send about a channel (persistent events, transient events, reaction batches) to the
 * channel's local subscribers: drops duplicates, stale events from a channel's previous owner and expired
 * transients, counts gaps, builds the client frame once and hands it to the fan-out.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class ChannelDelivery
{
    private final ChannelSubscriptions subscriptions;
    private final ClientFrames frames;
    private final FanOut fanOut;
    private final GatewayMetrics metrics;
    private final int selfNodeId;
    private static final UnsafeBuffer TYPING = new UnsafeBuffer("typing".getBytes(StandardCharsets.US_ASCII));

    // Views of the event being delivered: names pass from the host's bytes to the client frame without a String.
    private final UnsafeBuffer channelName = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer user = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer messageId = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer event = new UnsafeBuffer(0, 0);
    private final List<String> emoji = new ArrayList<>();
    private long[] counts = new long[64];

    ChannelDelivery(
        final ChannelSubscriptions subscriptions,
        final ClientFrames frames,
        final FanOut fanOut,
        final GatewayMetrics metrics,
        final int selfNodeId)
    {
        this.subscriptions = subscriptions;
        this.frames = frames;
        this.fanOut = fanOut;
        this.metrics = metrics;
        this.selfNodeId = selfNodeId;
    }

    void onChannelEvent(final ChannelEventDecoder decoder)
    {
        final long seq = decoder.seq();
        final long epoch = decoder.epoch();
        final long timestampNs = decoder.timestampNs();
        decoder.wrapChannel(channelName);
        final LocalChannel channel = subscriptions.channel(channelName, 0, channelName.capacity());
        if (null == channel || 0 == channel.sessionCount())
        {
            return;
        }
        if (channel.moved() && (LocalChannel.SUBSCRIBED != channel.state || epoch != channel.epoch))
        {
            metrics.staleEvent();
            return;
        }
        if (epoch == channel.epoch)
        {
            if (seq <= channel.seq)
            {
                return;
            }
            if (seq > channel.seq + 1)
            {
                metrics.gap();
            }
        }
        channel.seq = seq;
        channel.epoch = epoch;

        decoder.wrapUser(user);
        decoder.wrapMessageId(messageId);
        final int length = decoder.payloadLength();
        final byte[] payload = frames.scratch(length);
        decoder.getPayload(payload, 0, length);
        fanOut.send(channel.deliverySessions(), channel.sessionCount(),
            frames.message(channel.name, seq, epoch, messageId, user, timestampNs, payload, length), -1, timestampNs);
    }

    void onTransientEvent(final TransientEventDecoder decoder)
    {
        final int originNode = decoder.nodeId();
        final long originSession = decoder.sessionId();
        final long timestampNs = decoder.timestampNs();
        final int ttlMs = decoder.ttlMs();
        decoder.wrapChannel(channelName);
        final LocalChannel channel = subscriptions.channel(channelName, 0, channelName.capacity());
        if (null == channel || 0 == channel.sessionCount())
        {
            return;
        }
        if (EpochClock.nanos() - timestampNs > ttlMs * 1_000_000L)
        {
            metrics.transientExpired();
            return;
        }

        decoder.wrapUser(user);
        decoder.wrapEventName(event);
        final int length = decoder.payloadLength();
        final byte[] payload = frames.scratch(length);
        decoder.getPayload(payload, 0, length);
        fanOut.send(channel.deliverySessions(), channel.sessionCount(),
            isTyping(event) ?
                frames.typing(channel.name, user, timestampNs) :
                frames.transientEvent(channel.name, user, event, timestampNs, payload, length),
            originNode == selfNodeId ? originSession : -1, 0);
    }

    void onReactionBatch(final ReactionBatchDecoder decoder)
    {
        emoji.clear();
        final ReactionBatchDecoder.CountsDecoder group = decoder.counts();
        if (counts.length < group.count())
        {
            counts = new long[group.count()];
        }
        for (final ReactionBatchDecoder.CountsDecoder count : group)
        {
            counts[emoji.size()] = count.reactions();
            emoji.add(count.emoji());
        }
        final String name = decoder.channel();
        final String target = decoder.target();
        final LocalChannel channel = subscriptions.channel(name);
        if (null == channel || 0 == channel.sessionCount() || emoji.isEmpty())
        {
            return;
        }
        fanOut.send(channel.deliverySessions(), channel.sessionCount(), frames.reactions(name, target, emoji, counts), -1, 0);
    }

    private static boolean isTyping(final DirectBuffer event)
    {
        return TYPING.equals(event);
    }
}
