package io.switchboard.gateway.json;

import org.agrona.DirectBuffer;

/**
 * Well-formed UTF-8 (RFC 3629) read straight from a buffer, for text a host sent that the gateway passes on or
 * looks up without making a {@code String} of it.
 * <p>
 * Thread-safe (stateless).
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @param buffer holding UTF-8.
     * @param index  where a sequence starts.
     * @param end    where the text ends (exclusive).
     * @return the length in bytes (1 to 4) of the well-formed sequence at {@code index}, or 0 when it is not one:
     * a stray continuation byte, a truncated sequence, an overlong form, a surrogate, or past U+10FFFF.
     */
    public static int sequenceLength(final DirectBuffer buffer, final int index, final int end)
    {
        final int b0 = buffer.getByte(index) & 0xff;
        if (b0 < 0x80)
        {
            return 1;
        }
        final int length;
        int low = 0x80;
        int high = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf)
        {
            length = 2;
        }
        else if (b0 >= 0xe0 && b0 <= 0xef)
        {
            length = 3;
            low = 0xe0 == b0 ? 0xa0 : low; // not overlong
            high = 0xed == b0 ? 0x9f : high; // not a surrogate
        }
        else if (b0 >= 0xf0 && b0 <= 0xf4)
        {
            length = 4;
            low = 0xf0 == b0 ? 0x90 : low; // not overlong
            high = 0xf4 == b0 ? 0x8f : high; // not past U+10FFFF
        }
        else
        {
            return 0;
        }
        if (index + length > end)
        {
            return 0;
        }
        final int b1 = buffer.getByte(index + 1) & 0xff;
        if (b1 < low || b1 > high)
        {
            return 0;
        }
        for (int i = 2; i < length; i++)
        {
            if ((buffer.getByte(index + i) & 0xc0) != 0x80)
            {
                return 0;
            }
        }
        return length;
    }

    /**
     * @param buffer holding a well-formed sequence at {@code index}.
     * @param index  where it starts.
     * @param length its length from {@link #sequenceLength}.
     * @return the code point it encodes.
     */
    public static int codePoint(final DirectBuffer buffer, final int index, final int length)
    {
        final int b0 = buffer.getByte(index) & 0xff;
        return switch (length)
        {
            case 1 -> b0;
            case 2 -> ((b0 & 0x1f) << 6) | (buffer.getByte(index + 1) & 0x3f);
            case 3 -> ((b0 & 0x0f) << 12) | ((buffer.getByte(index + 1) & 0x3f) << 6) |
                (buffer.getByte(index + 2) & 0x3f);
            default -> ((b0 & 0x07) << 18) | ((buffer.getByte(index + 1) & 0x3f) << 12) |
                ((buffer.getByte(index + 2) & 0x3f) << 6) | (buffer.getByte(index + 3) & 0x3f);
        };
    }
}
