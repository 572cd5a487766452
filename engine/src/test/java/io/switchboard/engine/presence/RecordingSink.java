package io.switchboard.engine.presence;

import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.ErrorResponseDecoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceUpdateDecoder;
import io.switchboard.engine.OutboundSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what a shard sends, copying the bytes because the shard reuses its buffer, and decodes it with the
 * generated decoders.
 */
final class RecordingSink implements OutboundSink
{
    record Sent(int nodeId, byte[] bytes)
    {
    }

    record StatusOf(String user, PresenceStatus status)
    {
    }

    record Update(int nodeId, long correlationId, List<StatusOf> statuses, int length)
    {
    }

    record Error(int nodeId, long correlationId, ErrorCode code, String message)
    {
    }

    private final List<Sent> sent = new ArrayList<>();
    private int result = SENT;

    public int send(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        sent.add(new Sent(nodeId, bytes));
        return result;
    }

    void result(final int result)
    {
        this.result = result;
    }

    List<Sent> sent()
    {
        return sent;
    }

    void clear()
    {
        sent.clear();
    }

    List<Update> updates()
    {
        final List<Update> updates = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PresenceUpdateDecoder decoder = new PresenceUpdateDecoder();
        for (final Sent message : sent)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(message.bytes());
            if (header.wrap(buffer, 0).templateId() == PresenceUpdateDecoder.TEMPLATE_ID)
            {
                decoder.wrapAndApplyHeader(buffer, 0, header);
                final List<StatusOf> statuses = new ArrayList<>();
                for (final PresenceUpdateDecoder.UpdatesDecoder update : decoder.updates())
                {
                    final PresenceStatus status = update.status();
                    statuses.add(new StatusOf(update.user(), status));
                }
                updates.add(new Update(message.nodeId(), decoder.correlationId(), statuses, message.bytes().length));
            }
        }

        return updates;
    }

    List<Error> errors()
    {
        final List<Error> errors = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ErrorResponseDecoder decoder = new ErrorResponseDecoder();
        for (final Sent message : sent)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(message.bytes());
            if (header.wrap(buffer, 0).templateId() == ErrorResponseDecoder.TEMPLATE_ID)
            {
                decoder.wrapAndApplyHeader(buffer, 0, header);
                final long correlationId = decoder.correlationId();
                final ErrorCode code = decoder.code();
                decoder.channel();
                errors.add(new Error(message.nodeId(), correlationId, code, decoder.message()));
            }
        }

        return errors;
    }
}
