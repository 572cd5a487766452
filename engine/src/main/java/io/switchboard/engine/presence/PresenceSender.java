package io.switchboard.engine.presence;

import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.ErrorResponseEncoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceUpdateEncoder;
import io.switchboard.engine.OutboundSink;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes a presence shard's output into one reused buffer and hands it to the {@link OutboundSink}, counting what
 * was sent and what failed.
 * <p>
 * A list of updates for one node is written with {@link #begin}, {@link #add} and {@link #end}: when the next
 * update would take the message past the maximum size, the message so far is sent and a new one with the same
 * correlation id is started, so a long list becomes as few messages as fit.
 * <p>
 * Not thread-safe: owned by the shard thread.
 */
final class PresenceSender
{
    /**
     * Fixed cost of a PresenceUpdate: message header, block, group header.
     */
    static final int UPDATE_MESSAGE_OVERHEAD = MessageHeaderEncoder.ENCODED_LENGTH +
        PresenceUpdateEncoder.BLOCK_LENGTH + PresenceUpdateEncoder.UpdatesEncoder.HEADER_SIZE;

    /**
     * Cost of one update besides the user id: status and var-data length.
     */
    static final int UPDATE_ENTRY_OVERHEAD =
        PresenceUpdateEncoder.UpdatesEncoder.sbeBlockLength() + PresenceUpdateEncoder.UpdatesEncoder.userHeaderLength();

    /**
     * A message holding one update for the longest user id a name may have.
     */
    static final int LONGEST_SINGLE_UPDATE_LENGTH = UPDATE_MESSAGE_OVERHEAD + UPDATE_ENTRY_OVERHEAD + 1024;

    private static final int MAX_UPDATES_PER_MESSAGE = PresenceUpdateEncoder.UpdatesEncoder.countMaxValue();
    private static final byte[] NO_CHANNEL = new byte[0];

    private final OutboundSink sink;
    private final int maxMessageSize;
    private final UnsafeBuffer buffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PresenceUpdateEncoder updateEncoder = new PresenceUpdateEncoder();
    private final ErrorResponseEncoder errorEncoder = new ErrorResponseEncoder();
    private PresenceUpdateEncoder.UpdatesEncoder updates;

    private int nodeId;
    private long correlationId;
    private int pendingUpdates;
    private int encodedLength;

    private long updatesSent;
    private long errorsSent;
    private long sendFailures;

    PresenceSender(final OutboundSink sink, final int maxMessageSize)
    {
        this.sink = sink;
        this.maxMessageSize = maxMessageSize;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            BitUtil.align(Math.max(maxMessageSize, LONGEST_SINGLE_UPDATE_LENGTH), 64), 64));
    }

    /**
     * Start a list of updates for one node; nothing is sent if no update is added before {@link #end()}.
     */
    void begin(final int nodeId, final long correlationId)
    {
        this.nodeId = nodeId;
        this.correlationId = correlationId;
        startMessage();
    }

    void add(final PresenceStatus status, final DirectBuffer user, final int offset, final int length)
    {
        if (pendingUpdates > 0 &&
            (pendingUpdates == MAX_UPDATES_PER_MESSAGE ||
            messageLength() + UPDATE_ENTRY_OVERHEAD + length > maxMessageSize))
        {
            sendPendingUpdates();
            startMessage();
        }

        updates.next().status(status).putUser(user, offset, length);
        pendingUpdates++;
    }

    void end()
    {
        if (pendingUpdates > 0)
        {
            sendPendingUpdates();
        }
    }

    /**
     * Encode a single update (correlation id 0) once, to send the same bytes to every watcher with
     * {@link #sendEncoded(int)}.
     */
    void encodeSingleUpdate(final PresenceStatus status, final DirectBuffer user, final int offset, final int length)
    {
        updateEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(0)
            .updatesCount(1)
            .next().status(status).putUser(user, offset, length);
        encodedLength = messageLength();
    }

    void sendEncoded(final int nodeId)
    {
        if (OutboundSink.SENT == sink.send(nodeId, buffer, 0, encodedLength))
        {
            updatesSent++;
        }
        else
        {
            sendFailures++;
        }
    }

    void sendError(final int nodeId, final long correlationId, final ErrorCode code, final byte[] message)
    {
        errorEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .putChannel(NO_CHANNEL, 0, 0)
            .putMessage(message, 0, message.length);

        final int length = MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder.encodedLength();
        if (OutboundSink.SENT == sink.send(nodeId, buffer, 0, length))
        {
            errorsSent++;
        }
        else
        {
            sendFailures++;
        }
    }

    long updatesSent()
    {
        return updatesSent;
    }

    long errorsSent()
    {
        return errorsSent;
    }

    long sendFailures()
    {
        return sendFailures;
    }

    private void startMessage()
    {
        updates = updateEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .updatesCount(MAX_UPDATES_PER_MESSAGE);
        pendingUpdates = 0;
    }

    private void sendPendingUpdates()
    {
        updates.resetCountToIndex();
        encodedLength = messageLength();
        pendingUpdates = 0;
        sendEncoded(nodeId);
    }

    private int messageLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + updateEncoder.encodedLength();
    }
}
