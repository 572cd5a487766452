package io.switchboard.engine.reaction;

import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.ReactionBatchDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consumer that decodes every batch with the generated decoder and keeps it.
 */
final class RecordedBatches implements ReactionBatchConsumer
{
    record Batch(String channel, String target, long windowStartNs, long windowEndNs, Map<String, Long> counts)
    {
    }

    private final List<Batch> batches = new ArrayList<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ReactionBatchDecoder decoder = new ReactionBatchDecoder();

    public void onBatch(
        final DirectBuffer channel,
        final int channelOffset,
        final int channelLength,
        final DirectBuffer message,
        final int messageOffset,
        final int messageLength)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[messageLength]);
        copy.putBytes(0, message, messageOffset, messageLength);
        header.wrap(copy, 0);
        if (header.templateId() != ReactionBatchDecoder.TEMPLATE_ID ||
            header.schemaId() != ReactionBatchDecoder.SCHEMA_ID)
        {
            throw new AssertionError("not a ReactionBatch: " + header);
        }

        decoder.wrapAndApplyHeader(copy, 0, header);
        final long start = decoder.windowStartNs();
        final long end = decoder.windowEndNs();
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (final ReactionBatchDecoder.CountsDecoder count : decoder.counts())
        {
            final long reactions = count.reactions();
            counts.put(count.emoji(), reactions);
        }
        final String channelInMessage = decoder.channel();
        final String target = decoder.target();
        if (decoder.encodedLength() + MessageHeaderDecoder.ENCODED_LENGTH != messageLength)
        {
            throw new AssertionError("length mismatch");
        }
        if (!channelInMessage.equals(channel.getStringWithoutLengthUtf8(channelOffset, channelLength)))
        {
            throw new AssertionError("channel given to the consumer differs from the message's");
        }

        batches.add(new Batch(channelInMessage, target, start, end, counts));
    }

    List<Batch> batches()
    {
        return batches;
    }

    void clear()
    {
        batches.clear();
    }
}
