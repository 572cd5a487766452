package io.switchboard.engine.partition;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * A name (channel, user, target, emoji) copied out of a message into storage this object owns, so that state keyed
 * by names can keep them after the message buffer is reused. The storage grows to the longest name it held and is
 * kept when the holder is pooled and given another name.
 * <p>
 * Not thread-safe.
 */
public final class NameBuffer
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private byte[] bytes = new byte[0];
    private int length;

    /**
     * Copy a name in, replacing the previous one.
     *
     * @param src    holding the name.
     * @param offset of the first byte.
     * @param length in bytes.
     */
    public void set(final DirectBuffer src, final int offset, final int length)
    {
        if (length > bytes.length)
        {
            bytes = new byte[length];
            buffer.wrap(bytes);
        }
        src.getBytes(offset, bytes, 0, length);
        this.length = length;
    }

    /**
     * @return the buffer holding the name from offset 0; its capacity may exceed {@link #length()}.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return length of the name in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * @param other  holding a name.
     * @param offset of its first byte.
     * @param length of the other name.
     * @return true when the other name has exactly the same bytes.
     */
    public boolean equalsName(final DirectBuffer other, final int offset, final int length)
    {
        return this.length == length && NameBuffer.equalBytes(buffer, 0, other, offset, length);
    }

    /**
     * Compare two byte ranges of the same length.
     *
     * @param a       first buffer.
     * @param aOffset of the first range.
     * @param b       second buffer.
     * @param bOffset of the second range.
     * @param length  of both ranges.
     * @return true when all bytes are equal.
     */
    public static boolean equalBytes(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        int i = 0;
        for (final int end = length - 7; i < end; i += 8)
        {
            if (a.getLong(aOffset + i, ByteOrder.LITTLE_ENDIAN) != b.getLong(bOffset + i, ByteOrder.LITTLE_ENDIAN))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }

        return true;
    }
}
