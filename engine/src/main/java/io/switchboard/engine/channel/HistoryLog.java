package io.switchboard.engine.channel;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The recent history of every channel of a shard in one bounded byte log. Entries are appended at increasing
 * virtual positions (the physical offset is the position modulo the power-of-two capacity) and never wrap: an entry
 * that would cross the end of the buffer is preceded by a padding entry up to the end, as in Aeron's term logs.
 * Making room evicts the oldest entries, whichever channel they belong to, so the bytes held never exceed the
 * capacity, and every eviction is reported to an {@link EvictionHandler}.
 * <p>
 * Each entry links back to the previous entry of the same channel, so a channel's history is walked newest first
 * from its newest position without any per-channel structure. A position below {@link #tailPosition()} (including
 * {@link #NO_POSITION}) has been evicted. A retained entry can also be named by a 32-bit {@link #entryRef(long)}, its
 * physical offset in 8-byte units: retained entries span at most the capacity, so the reference is unambiguous while
 * the entry is retained, and channels hold that instead of a long.
 * <p>
 * Entry layout, 8-byte aligned, little-endian:
 * <pre>
 *   0  int   length of the entry, aligned (so the next entry starts there)
 *   4  int   channel (dense index), or -1 for padding
 *   8  long  position of the previous entry of the channel, or -1
 *  16  long  seq
 *  24  long  timestampNs
 *  32  u16 user length, user bytes, u16 messageId length, messageId bytes, i32 payload length, payload bytes
 * </pre>
 * Not thread-safe: owned by one shard thread.
 */
final class HistoryLog
{
    static final int ALIGNMENT = 8;
    static final long NO_POSITION = -1;
    static final int HEADER_LENGTH = 32;
    static final int MAX_NAME_LENGTH = 1024;
    static final int MAX_PAYLOAD_LENGTH = 65536;
    static final int MAX_ENTRY_LENGTH = BitUtil.align(
        HEADER_LENGTH + 2 + MAX_NAME_LENGTH + 2 + MAX_NAME_LENGTH + 4 + MAX_PAYLOAD_LENGTH, ALIGNMENT);

    private static final int ALIGNMENT_SHIFT = 3;
    private static final int PADDING_CHANNEL = -1;
    private static final int CHANNEL_OFFSET = 4;
    private static final int PREVIOUS_OFFSET = 8;
    private static final int SEQ_OFFSET = 16;
    private static final int TIMESTAMP_OFFSET = 24;

    /**
     * Told of every evicted entry, after the tail has moved past it.
     */
    @FunctionalInterface
    interface EvictionHandler
    {
        /**
         * @param channel  dense index the entry belonged to.
         * @param position of the evicted entry.
         */
        void onEvicted(int channel, long position);
    }

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final long positionMask;
    private final EvictionHandler evictionHandler;
    private long headPosition;
    private long tailPosition;
    private long evictedEntries;

    /**
     * @param capacity        in bytes, a power of two of at least {@link #MAX_ENTRY_LENGTH}.
     * @param evictionHandler told of every evicted entry.
     */
    HistoryLog(final int capacity, final EvictionHandler evictionHandler)
    {
        if (!BitUtil.isPowerOfTwo(capacity) || capacity < MAX_ENTRY_LENGTH)
        {
            throw new IllegalArgumentException(
                "history capacity must be a power of two >= " + MAX_ENTRY_LENGTH + ": " + capacity);
        }

        this.buffer = new UnsafeBuffer(new byte[capacity]);
        this.capacity = capacity;
        this.positionMask = capacity - 1;
        this.evictionHandler = evictionHandler;
    }

    /**
     * @param userLength      bytes of the user.
     * @param messageIdLength bytes of the message id.
     * @param payloadLength   bytes of the payload.
     * @return aligned length of an entry holding them.
     */
    static int entryLength(final int userLength, final int messageIdLength, final int payloadLength)
    {
        return BitUtil.align(HEADER_LENGTH + 2 + userLength + 2 + messageIdLength + 4 + payloadLength, ALIGNMENT);
    }

    /**
     * Append an entry, evicting the oldest entries as needed.
     *
     * @return position of the new entry.
     */
    long append(
        final int channel,
        final long previousPosition,
        final long seq,
        final long timestampNs,
        final DirectBuffer user,
        final DirectBuffer messageId,
        final DirectBuffer payload)
    {
        final int userLength = user.capacity();
        final int messageIdLength = messageId.capacity();
        final int payloadLength = payload.capacity();
        final int alignedLength = entryLength(userLength, messageIdLength, payloadLength);

        int offset = (int)(headPosition & positionMask);
        if (offset + alignedLength > capacity)
        {
            final int paddingLength = capacity - offset;
            makeRoom(paddingLength);
            buffer.putInt(offset, paddingLength, ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(offset + CHANNEL_OFFSET, PADDING_CHANNEL, ByteOrder.LITTLE_ENDIAN);
            headPosition += paddingLength;
            offset = 0;
        }
        makeRoom(alignedLength);

        buffer.putInt(offset, alignedLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + CHANNEL_OFFSET, channel, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + PREVIOUS_OFFSET, previousPosition, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + SEQ_OFFSET, seq, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + TIMESTAMP_OFFSET, timestampNs, ByteOrder.LITTLE_ENDIAN);

        int cursor = offset + HEADER_LENGTH;
        buffer.putShort(cursor, (short)userLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(cursor + 2, user, 0, userLength);
        cursor += 2 + userLength;
        buffer.putShort(cursor, (short)messageIdLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(cursor + 2, messageId, 0, messageIdLength);
        cursor += 2 + messageIdLength;
        buffer.putInt(cursor, payloadLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(cursor + 4, payload, 0, payloadLength);

        final long position = headPosition;
        headPosition += alignedLength;

        return position;
    }

    /**
     * @param position of an entry, or {@link #NO_POSITION}.
     * @return true when the entry is still held.
     */
    boolean isRetained(final long position)
    {
        return position >= tailPosition;
    }

    /**
     * @param position of a retained entry.
     * @return a 32-bit reference to it, valid while it is retained.
     */
    int entryRef(final long position)
    {
        return (int)((position & positionMask) >>> ALIGNMENT_SHIFT);
    }

    /**
     * @param entryRef from {@link #entryRef(long)} of an entry still retained.
     * @return the entry's position.
     */
    long position(final int entryRef)
    {
        final long offset = (long)entryRef << ALIGNMENT_SHIFT;
        return tailPosition + ((offset - tailPosition) & positionMask);
    }

    long previousPosition(final long position)
    {
        return buffer.getLong(offset(position) + PREVIOUS_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    long seq(final long position)
    {
        return buffer.getLong(offset(position) + SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    long timestampNs(final long position)
    {
        return buffer.getLong(offset(position) + TIMESTAMP_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return the buffer that {@link #userOffset(long)} and its siblings index into.
     */
    DirectBuffer buffer()
    {
        return buffer;
    }

    int userLength(final long position)
    {
        return buffer.getShort(offset(position) + HEADER_LENGTH, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    int userOffset(final long position)
    {
        return offset(position) + HEADER_LENGTH + 2;
    }

    int messageIdLength(final long position)
    {
        return buffer.getShort(messageIdOffset(position) - 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    int messageIdOffset(final long position)
    {
        return userOffset(position) + userLength(position) + 2;
    }

    int payloadLength(final long position)
    {
        return buffer.getInt(payloadOffset(position) - 4, ByteOrder.LITTLE_ENDIAN);
    }

    int payloadOffset(final long position)
    {
        final int messageIdOffset = messageIdOffset(position);
        return messageIdOffset + messageIdLength(position) + 4;
    }

    /**
     * @return position of the oldest byte still held.
     */
    long tailPosition()
    {
        return tailPosition;
    }

    /**
     * @return position the next entry will be written at (or padding before it).
     */
    long headPosition()
    {
        return headPosition;
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * @return entries evicted so far (padding not counted).
     */
    long evictedEntries()
    {
        return evictedEntries;
    }

    private void makeRoom(final int length)
    {
        while (headPosition + length - tailPosition > capacity)
        {
            final long position = tailPosition;
            final int offset = offset(position);
            final int channel = buffer.getInt(offset + CHANNEL_OFFSET, ByteOrder.LITTLE_ENDIAN);
            tailPosition += buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            if (PADDING_CHANNEL != channel)
            {
                evictedEntries++;
                evictionHandler.onEvicted(channel, position);
            }
        }
    }

    private int offset(final long position)
    {
        return (int)(position & positionMask);
    }
}
