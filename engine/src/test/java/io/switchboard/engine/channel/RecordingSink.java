package io.switchboard.engine.channel;

import io.switchboard.codecs.ChannelEventDecoder;
import io.switchboard.codecs.ErrorResponseDecoder;
import io.switchboard.codecs.HistoryResponseDecoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.PublishAckDecoder;
import io.switchboard.codecs.SubscribedDecoder;
import io.switchboard.codecs.TransientEventDecoder;
import io.switchboard.engine.OutboundSink;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Records a copy of everything a shard sends, and decodes it with the generated decoders for assertions. A node can
 * be told to fail with a sink result code.
 */
final class RecordingSink implements OutboundSink
{
    private final List<Sent> sent = new ArrayList<>();
    private final Int2IntHashMap resultByNode = new Int2IntHashMap(SENT);

    public int send(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int result = resultByNode.get(nodeId);
        if (SENT == result)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            sent.add(new Sent(nodeId, new UnsafeBuffer(copy)));
        }

        return result;
    }

    void failFor(final int nodeId, final int result)
    {
        resultByNode.put(nodeId, result);
    }

    /**
     * @return everything recorded since the last drain, oldest first.
     */
    List<Sent> drain()
    {
        final List<Sent> copy = new ArrayList<>(sent);
        sent.clear();
        return copy;
    }

    record Sent(int nodeId, UnsafeBuffer buffer)
    {
        int templateId()
        {
            return new MessageHeaderDecoder().wrap(buffer, 0).templateId();
        }

        Subscribed subscribed()
        {
            final SubscribedDecoder decoder = new SubscribedDecoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
            return new Subscribed(nodeId, decoder.correlationId(), decoder.seq(), decoder.epoch(), decoder.channel());
        }

        Ack ack()
        {
            final PublishAckDecoder decoder = new PublishAckDecoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
            final long correlationId = decoder.correlationId();
            final long seq = decoder.seq();
            final long epoch = decoder.epoch();
            final String channel = decoder.channel();
            return new Ack(nodeId, correlationId, seq, epoch, channel, decoder.messageId());
        }

        Event event()
        {
            final ChannelEventDecoder decoder = new ChannelEventDecoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
            final long seq = decoder.seq();
            final long epoch = decoder.epoch();
            final long timestampNs = decoder.timestampNs();
            final String channel = decoder.channel();
            final String user = decoder.user();
            final String messageId = decoder.messageId();
            final byte[] payload = new byte[decoder.payloadLength()];
            decoder.getPayload(payload, 0, payload.length);
            return new Event(nodeId, seq, epoch, timestampNs, channel, user, messageId, payload);
        }

        TransientEvent transientEvent()
        {
            final TransientEventDecoder decoder = new TransientEventDecoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
            final int originNodeId = decoder.nodeId();
            final long sessionId = decoder.sessionId();
            final long timestampNs = decoder.timestampNs();
            final int ttlMs = decoder.ttlMs();
            final String channel = decoder.channel();
            final String user = decoder.user();
            final String eventName = decoder.eventName();
            final byte[] payload = new byte[decoder.payloadLength()];
            decoder.getPayload(payload, 0, payload.length);
            return new TransientEvent(
                nodeId, originNodeId, sessionId, timestampNs, ttlMs, channel, user, eventName, payload);
        }

        History history()
        {
            final HistoryResponseDecoder decoder = new HistoryResponseDecoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
            final long correlationId = decoder.correlationId();
            final long epoch = decoder.epoch();
            final long lastSeq = decoder.lastSeq();
            final boolean complete = decoder.complete() == io.switchboard.codecs.BooleanType.TRUE;
            final List<HistoryMessage> messages = new ArrayList<>();
            for (final HistoryResponseDecoder.MessagesDecoder message : decoder.messages())
            {
                final long seq = message.seq();
                final long timestampNs = message.timestampNs();
                final String user = message.user();
                final String messageId = message.messageId();
                final byte[] payload = new byte[message.payloadLength()];
                message.getPayload(payload, 0, payload.length);
                messages.add(new HistoryMessage(seq, timestampNs, user, messageId, payload));
            }
            return new History(
                nodeId, correlationId, epoch, lastSeq, complete, messages, decoder.channel(), buffer.capacity());
        }

        Error error()
        {
            final ErrorResponseDecoder decoder = new ErrorResponseDecoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
            return new Error(nodeId, decoder.correlationId(), decoder.code(), decoder.channel(), decoder.message());
        }
    }

    record Subscribed(int nodeId, long correlationId, long seq, long epoch, String channel)
    {
    }

    record Ack(int nodeId, long correlationId, long seq, long epoch, String channel, String messageId)
    {
    }

    record Event(
        int nodeId, long seq, long epoch, long timestampNs, String channel, String user, String messageId,
        byte[] payload)
    {
    }

    record TransientEvent(
        int nodeId, int originNodeId, long sessionId, long timestampNs, int ttlMs, String channel, String user,
        String eventName, byte[] payload)
    {
    }

    record HistoryMessage(long seq, long timestampNs, String user, String messageId, byte[] payload)
    {
    }

    record History(
        int nodeId, long correlationId, long epoch, long lastSeq, boolean complete, List<HistoryMessage> messages,
        String channel, int encodedLength)
    {
        List<Long> seqs()
        {
            return messages.stream().map(HistoryMessage::seq).toList();
        }
    }

    record Error(int nodeId, long correlationId, io.switchboard.codecs.ErrorCode code, String channel, String message)
    {
    }
}
