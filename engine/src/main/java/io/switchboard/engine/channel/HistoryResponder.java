package io.switchboard.engine.channel;

import io.switchboard.codecs.BooleanType;
import io.switchboard.codecs.HistoryResponseEncoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Answers a history request from the {@link HistoryLog}: walks a channel's entries newest first through their back
 * links, keeps the positions of the oldest ones wanted in a reused ring, then encodes them oldest first into one
 * HistoryResponse bounded by a message count and a byte size (a single message larger than the byte bound still
 * goes alone, so paging always makes progress).
 * <p>
 * Not thread-safe: owned by one shard thread.
 */
final class HistoryResponder
{
    private static final int FIXED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + HistoryResponseEncoder.BLOCK_LENGTH +
        HistoryResponseEncoder.MessagesEncoder.HEADER_SIZE + HistoryResponseEncoder.channelHeaderLength();
    private static final int MESSAGE_FIXED_LENGTH = HistoryResponseEncoder.MessagesEncoder.sbeBlockLength() +
        HistoryResponseEncoder.MessagesEncoder.userHeaderLength() +
        HistoryResponseEncoder.MessagesEncoder.messageIdHeaderLength() +
        HistoryResponseEncoder.MessagesEncoder.payloadHeaderLength();
    private static final int MAX_MESSAGE_LENGTH = MESSAGE_FIXED_LENGTH + 2 * HistoryLog.MAX_NAME_LENGTH +
        HistoryLog.MAX_PAYLOAD_LENGTH;

    private final HistoryLog log;
    private final int maxResponseBytes;
    private final long[] positions;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HistoryResponseEncoder responseEncoder = new HistoryResponseEncoder();
    private final UnsafeBuffer responseBuffer;

    /**
     * @param log              to read.
     * @param maxMessages      most messages one response may carry.
     * @param maxResponseBytes most bytes one response may take, unless a single message is larger.
     */
    HistoryResponder(final HistoryLog log, final int maxMessages, final int maxResponseBytes)
    {
        this.log = log;
        this.maxResponseBytes = maxResponseBytes;
        this.positions = new long[maxMessages];
        this.responseBuffer = new UnsafeBuffer(new byte[Math.max(
            maxResponseBytes, FIXED_LENGTH + HistoryLog.MAX_NAME_LENGTH + MAX_MESSAGE_LENGTH)]);
    }

    /**
     * @return the buffer the last response was encoded into, from offset 0.
     */
    DirectBuffer buffer()
    {
        return responseBuffer;
    }

    /**
     * Encode the response for a known channel.
     *
     * @param correlationId  of the request.
     * @param epoch          of the channel.
     * @param lastSeq        of the channel.
     * @param newestPosition of the channel's newest history entry, or {@link HistoryLog#NO_POSITION}.
     * @param since          messages wanted have a greater seq; already 0 when the request's epoch differed.
     * @param epochMatches   false when the request named another epoch, which makes the answer incomplete.
     * @param limit          most messages to return, 1 to the configured maximum.
     * @param channel        name, echoed in the response.
     * @return encoded length from offset 0 of {@link #buffer()}.
     */
    int encode(
        final long correlationId,
        final long epoch,
        final long lastSeq,
        final long newestPosition,
        final long since,
        final boolean epochMatches,
        final int limit,
        final DirectBuffer channel)
    {
        final long from = Math.max(0, since);
        final long[] positions = this.positions;
        int found = 0;
        for (long position = newestPosition; log.isRetained(position); position = log.previousPosition(position))
        {
            if (log.seq(position) <= from)
            {
                break;
            }
            positions[found % limit] = position;
            found++;
        }

        // The retained entries of a channel are a gap-free suffix of its seqs, so counting them tells what is missing.
        final boolean complete = epochMatches && (from >= lastSeq || found >= lastSeq - from);
        final int candidates = Math.min(found, limit);
        int length = FIXED_LENGTH + channel.capacity();
        int count = 0;
        for (; count < candidates; count++)
        {
            final int messageLength = messageLength(positions[(found - 1 - count) % limit]);
            if (count > 0 && length + messageLength > maxResponseBytes)
            {
                break;
            }
            length += messageLength;
        }

        final HistoryResponseEncoder.MessagesEncoder messages = responseEncoder
            .wrapAndApplyHeader(responseBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .epoch(epoch)
            .lastSeq(lastSeq)
            .complete(complete ? BooleanType.TRUE : BooleanType.FALSE)
            .messagesCount(count);

        final DirectBuffer logBuffer = log.buffer();
        for (int i = 0; i < count; i++)
        {
            final long position = positions[(found - 1 - i) % limit];
            messages.next()
                .seq(log.seq(position))
                .timestampNs(log.timestampNs(position))
                .putUser(logBuffer, log.userOffset(position), log.userLength(position))
                .putMessageId(logBuffer, log.messageIdOffset(position), log.messageIdLength(position))
                .putPayload(logBuffer, log.payloadOffset(position), log.payloadLength(position));
        }
        responseEncoder.putChannel(channel, 0, channel.capacity());

        return MessageHeaderEncoder.ENCODED_LENGTH + responseEncoder.encodedLength();
    }

    /**
     * Encode the response for a channel this shard does not have: nothing to return, and incomplete when the
     * requester believed there was something (a since or an epoch).
     *
     * @param correlationId of the request.
     * @param since         of the request.
     * @param epoch         of the request.
     * @param channel       name, echoed in the response.
     * @return encoded length from offset 0 of {@link #buffer()}.
     */
    int encodeUnknown(final long correlationId, final long since, final long epoch, final DirectBuffer channel)
    {
        responseEncoder
            .wrapAndApplyHeader(responseBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .epoch(0)
            .lastSeq(0)
            .complete(since > 0 || epoch != 0 ? BooleanType.FALSE : BooleanType.TRUE)
            .messagesCount(0);
        responseEncoder.putChannel(channel, 0, channel.capacity());

        return MessageHeaderEncoder.ENCODED_LENGTH + responseEncoder.encodedLength();
    }

    private int messageLength(final long position)
    {
        return MESSAGE_FIXED_LENGTH +
            log.userLength(position) + log.messageIdLength(position) + log.payloadLength(position);
    }
}
