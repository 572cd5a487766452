package io.switchboard.transport.client;

import io.switchboard.codecs.ChannelEventDecoder;
import io.switchboard.codecs.ErrorResponseDecoder;
import io.switchboard.codecs.HistoryResponseDecoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.PublishAckDecoder;
import io.switchboard.codecs.ReactionBatchDecoder;
import io.switchboard.codecs.SubscribedDecoder;
import io.switchboard.codecs.TransientEventDecoder;
import io.switchboard.transport.InboundHandler;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What channel hosts send the client, decoded and handed to its {@link ClientListener}: answers close their pending
 * request, events move the channel's last seq, and a gap in seqs (or a re-subscription that starts past what was
 * seen) asks for the missing messages from history.
 * <p>
 * Not thread-safe: runs inside the client's {@code poll()}, on the client's thread.
 */
final class ClientInbound implements InboundHandler
{
    /** The templates channel hosts send a gateway, which this handles. */
    static final int[] TEMPLATE_IDS = { SubscribedDecoder.TEMPLATE_ID, PublishAckDecoder.TEMPLATE_ID,
        ChannelEventDecoder.TEMPLATE_ID, TransientEventDecoder.TEMPLATE_ID, ReactionBatchDecoder.TEMPLATE_ID,
        HistoryResponseDecoder.TEMPLATE_ID, ErrorResponseDecoder.TEMPLATE_ID };

    /**
     * Asks the channel's host for history, as {@link SwitchboardClient#history} does.
     */
    @FunctionalInterface
    interface HistoryRequester
    {
        /**
         * @param channel     name.
         * @param since       last seq already seen.
         * @param epoch       epoch since belongs to.
         * @param maxMessages at most this many.
         * @return correlation id or a negative code.
         */
        long request(String channel, long since, long epoch, int maxMessages);
    }

    private final ClientListener listener;
    private final Map<String, ChannelState> channels;
    private final Long2ObjectHashMap<PendingRequest> pending;
    private final HistoryRequester history;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SubscribedDecoder subscribedDecoder = new SubscribedDecoder();
    private final PublishAckDecoder ackDecoder = new PublishAckDecoder();
    private final ChannelEventDecoder eventDecoder = new ChannelEventDecoder();
    private final TransientEventDecoder transientDecoder = new TransientEventDecoder();
    private final ReactionBatchDecoder reactionDecoder = new ReactionBatchDecoder();
    private final HistoryResponseDecoder historyDecoder = new HistoryResponseDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);

    ClientInbound(
        final ClientListener listener,
        final Map<String, ChannelState> channels,
        final Long2ObjectHashMap<PendingRequest> pending,
        final HistoryRequester history)
    {
        this.listener = listener;
        this.channels = channels;
        this.pending = pending;
        this.history = history;
    }

    /**
     * {@inheritDoc}
     */
    public int onMessage(final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        headerDecoder.wrap(buffer, offset);
        switch (templateId)
        {
            case SubscribedDecoder.TEMPLATE_ID:
                onSubscribed(buffer, offset);
                break;
            case PublishAckDecoder.TEMPLATE_ID:
                ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                pending.remove(ackDecoder.correlationId());
                listener.onPublishAck(ackDecoder.correlationId(), ackDecoder.channel(), ackDecoder.seq(),
                    ackDecoder.epoch(), ackDecoder.messageId());
                break;
            case ChannelEventDecoder.TEMPLATE_ID:
                onChannelEvent(buffer, offset);
                break;
            case TransientEventDecoder.TEMPLATE_ID:
                onTransientEvent(buffer, offset);
                break;
            case ReactionBatchDecoder.TEMPLATE_ID:
                onReactionBatch(buffer, offset);
                break;
            case HistoryResponseDecoder.TEMPLATE_ID:
                onHistoryResponse(buffer, offset);
                break;
            case ErrorResponseDecoder.TEMPLATE_ID:
                errorDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                pending.remove(errorDecoder.correlationId());
                listener.onError(errorDecoder.correlationId(), errorDecoder.code(), errorDecoder.channel(),
                    errorDecoder.message());
                break;
            default:
                break;
        }
        return InboundHandler.CONSUMED;
    }

    private void onSubscribed(final DirectBuffer buffer, final int offset)
    {
        subscribedDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = subscribedDecoder.correlationId();
        final long seq = subscribedDecoder.seq();
        final long epoch = subscribedDecoder.epoch();
        final String channel = subscribedDecoder.channel();
        pending.remove(correlationId);
        final ChannelState state = channels.get(channel);
        if (null != state)
        {
            if (state.epoch != epoch)
            {
                // A new life of the channel (first subscription, or its host rebuilt it): start from now.
                state.epoch = epoch;
                state.lastSeq = seq;
            }
            else if (seq > state.lastSeq)
            {
                // Re-subscribed after a host came back with its state: fetch what was missed meanwhile.
                listener.onGap(channel, state.lastSeq + 1, seq + 1);
                history.request(channel, state.lastSeq, epoch, (int)Math.min(1000, seq - state.lastSeq));
                state.lastSeq = seq;
            }
        }
        listener.onSubscribed(correlationId, channel, seq, epoch);
    }

    private void onChannelEvent(final DirectBuffer buffer, final int offset)
    {
        eventDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long seq = eventDecoder.seq();
        final long epoch = eventDecoder.epoch();
        final long timestampNs = eventDecoder.timestampNs();
        final String channel = eventDecoder.channel();
        final String user = eventDecoder.user();
        final String messageId = eventDecoder.messageId();
        final int payloadLength = eventDecoder.payloadLength();
        eventDecoder.wrapPayload(payloadView);

        final ChannelState state = channels.get(channel);
        if (null == state)
        {
            return; // unsubscribed while the event was in flight
        }
        if (state.epoch == epoch && seq > state.lastSeq + 1 && state.lastSeq > 0)
        {
            listener.onGap(channel, state.lastSeq + 1, seq);
            history.request(channel, state.lastSeq, epoch, (int)Math.min(1000, seq - state.lastSeq - 1));
        }
        if (state.epoch != epoch || seq > state.lastSeq)
        {
            state.epoch = epoch;
            state.lastSeq = seq;
        }
        listener.onMessage(channel, seq, epoch, timestampNs, user, messageId, payloadView, 0, payloadLength);
    }

    private void onTransientEvent(final DirectBuffer buffer, final int offset)
    {
        transientDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long timestampNs = transientDecoder.timestampNs();
        final int ttlMs = transientDecoder.ttlMs();
        final String channel = transientDecoder.channel();
        final String user = transientDecoder.user();
        final String eventName = transientDecoder.eventName();
        final int payloadLength = transientDecoder.payloadLength();
        transientDecoder.wrapPayload(payloadView);
        listener.onTransient(channel, user, eventName, timestampNs, ttlMs, payloadView, 0, payloadLength);
    }

    private void onReactionBatch(final DirectBuffer buffer, final int offset)
    {
        reactionDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (final ReactionBatchDecoder.CountsDecoder count : reactionDecoder.counts())
        {
            final long reactions = count.reactions();
            counts.put(count.emoji(), reactions);
        }
        final String channel = reactionDecoder.channel();
        final String target = reactionDecoder.target();
        listener.onReactions(channel, target, counts);
    }

    private void onHistoryResponse(final DirectBuffer buffer, final int offset)
    {
        historyDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = historyDecoder.correlationId();
        final long epoch = historyDecoder.epoch();
        final long lastSeq = historyDecoder.lastSeq();
        final boolean complete = historyDecoder.complete() == io.switchboard.codecs.BooleanType.TRUE;
        final List<ClientListener.HistoryMessage> messages = new ArrayList<>();
        for (final HistoryResponseDecoder.MessagesDecoder message : historyDecoder.messages())
        {
            final long seq = message.seq();
            final long timestampNs = message.timestampNs();
            final String user = message.user();
            final String messageId = message.messageId();
            final byte[] payload = new byte[message.payloadLength()];
            message.getPayload(payload, 0, payload.length);
            messages.add(new ClientListener.HistoryMessage(seq, timestampNs, user, messageId, payload));
        }
        final String channel = historyDecoder.channel();
        pending.remove(correlationId);
        listener.onHistory(correlationId, channel, epoch, lastSeq, complete, messages);
    }
}
