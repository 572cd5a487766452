package io.switchboard.gateway.json;

import io.netty.buffer.ByteBuf;
import org.agrona.DirectBuffer;

/**
 * Writes one JSON text straight into a {@link ByteBuf} as UTF-8, so a client frame is encoded once, in place, with
 * no intermediate strings or trees. Commas are placed automatically; strings are escaped (quotes, backslashes and
 * control characters) and unpaired surrogates become U+FFFD, so the output is always valid JSON and valid UTF-8.
 * Raw values (payloads already known to be JSON) are copied as they are.
 * <p>
 * Not thread-safe: one per thread, re-wrapped for each frame.
 */
public final class JsonWriter
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 32;

    private final boolean[] needsComma = new boolean[MAX_DEPTH];
    private ByteBuf out;
    private int depth;
    private boolean afterName;

    /**
     * @param out where to write.
     * @return this.
     */
    public JsonWriter wrap(final ByteBuf out)
    {
        this.out = out;
        this.depth = 0;
        this.afterName = false;
        needsComma[0] = false;
        return this;
    }

    /**
     * @return the buffer written to.
     */
    public ByteBuf buffer()
    {
        return out;
    }

    /** @return this, after '{'. */
    public JsonWriter startObject()
    {
        beforeValue();
        out.writeByte('{');
        needsComma[++depth] = false;
        return this;
    }

    /** @return this, after '}'. */
    public JsonWriter endObject()
    {
        out.writeByte('}');
        depth--;
        return this;
    }

    /** @return this, after '['. */
    public JsonWriter startArray()
    {
        beforeValue();
        out.writeByte('[');
        needsComma[++depth] = false;
        return this;
    }

    /** @return this, after ']'. */
    public JsonWriter endArray()
    {
        out.writeByte(']');
        depth--;
        return this;
    }

    /**
     * @param name of the next member.
     * @return this.
     */
    public JsonWriter name(final String name)
    {
        beforeValue();
        writeString(name);
        out.writeByte(':');
        afterName = true;
        return this;
    }

    /**
     * @param value a string, or null.
     * @return this.
     */
    public JsonWriter value(final String value)
    {
        beforeValue();
        if (null == value)
        {
            writeNull();
        }
        else
        {
            writeString(value);
        }
        return this;
    }

    /**
     * A string from UTF-8 bytes, escaped as {@link #value(String)} escapes, without making a {@code String}: the
     * text passes through as it is, except that a byte not part of well-formed UTF-8 becomes U+FFFD, so the frame
     * is valid UTF-8 whatever a host sent.
     *
     * @param utf8   holding the string.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return this.
     */
    public JsonWriter value(final DirectBuffer utf8, final int offset, final int length)
    {
        beforeValue();
        out.writeByte('"');
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int b = utf8.getByte(i) & 0xff;
            if (b < 0x80)
            {
                if (b == '"' || b == '\\')
                {
                    out.writeByte('\\').writeByte(b);
                }
                else if (b < 0x20)
                {
                    writeControl((char)b);
                }
                else
                {
                    out.writeByte(b);
                }
                i++;
                continue;
            }
            final int sequence = Utf8.sequenceLength(utf8, i, end);
            if (0 == sequence)
            {
                out.writeByte(0xef).writeByte(0xbf).writeByte(0xbd);
                i++;
                continue;
            }
            for (int k = 0; k < sequence; k++)
            {
                out.writeByte(utf8.getByte(i + k));
            }
            i += sequence;
        }
        out.writeByte('"');
        return this;
    }

    /**
     * @param value a number.
     * @return this.
     */
    public JsonWriter value(final long value)
    {
        beforeValue();
        if (value == Long.MIN_VALUE)
        {
            writeAscii(Long.toString(value));
            return this;
        }
        long v = value;
        if (v < 0)
        {
            out.writeByte('-');
            v = -v;
        }
        writeDigits(v);
        return this;
    }

    /**
     * @param value a boolean.
     * @return this.
     */
    public JsonWriter value(final boolean value)
    {
        beforeValue();
        writeAscii(value ? "true" : "false");
        return this;
    }

    /** @return this, after null. */
    public JsonWriter nullValue()
    {
        beforeValue();
        writeNull();
        return this;
    }

    /**
     * Copy a value that is already JSON.
     *
     * @param json   bytes of one JSON value.
     * @param offset of the first byte.
     * @param length in bytes; 0 writes null.
     * @return this.
     */
    public JsonWriter rawValue(final byte[] json, final int offset, final int length)
    {
        beforeValue();
        if (0 == length)
        {
            writeNull();
        }
        else
        {
            out.writeBytes(json, offset, length);
        }
        return this;
    }

    /**
     * Copy a value that is already JSON text (for example a request's ref).
     *
     * @param json one JSON value; null writes null.
     * @return this.
     */
    public JsonWriter rawValue(final String json)
    {
        beforeValue();
        if (null == json)
        {
            writeNull();
        }
        else
        {
            writeUtf8(json);
        }
        return this;
    }

    /** Convenience: a string member. @param name member. @param value string or null. @return this. */
    public JsonWriter field(final String name, final String value)
    {
        return name(name).value(value);
    }

    /**
     * Convenience: a string member whose value is UTF-8 in a buffer, as a host sent it.
     *
     * @param name   member.
     * @param utf8   holding the value.
     * @param offset where the value starts.
     * @param length its length in bytes.
     * @return this.
     */
    public JsonWriter field(final String name, final DirectBuffer utf8, final int offset, final int length)
    {
        return name(name).value(utf8, offset, length);
    }

    /** Convenience: a number member. @param name member. @param value number. @return this. */
    public JsonWriter field(final String name, final long value)
    {
        return name(name).value(value);
    }

    /** Convenience: a boolean member. @param name member. @param value boolean. @return this. */
    public JsonWriter field(final String name, final boolean value)
    {
        return name(name).value(value);
    }

    private void beforeValue()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }
        if (needsComma[depth])
        {
            out.writeByte(',');
        }
        needsComma[depth] = true;
    }

    private void writeNull()
    {
        writeAscii("null");
    }

    private void writeAscii(final String text)
    {
        for (int i = 0, length = text.length(); i < length; i++)
        {
            out.writeByte(text.charAt(i));
        }
    }

    private void writeDigits(final long value)
    {
        if (value >= 10)
        {
            writeDigits(value / 10);
        }
        out.writeByte((int)('0' + value % 10));
    }

    private void writeString(final String text)
    {
        out.writeByte('"');
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.writeByte('\\').writeByte(c);
            }
            else if (c < 0x20)
            {
                writeControl(c);
            }
            else if (c < 0x80)
            {
                out.writeByte(c);
            }
            else
            {
                i = writeNonAscii(text, i, length);
            }
        }
        out.writeByte('"');
    }

    private void writeUtf8(final String text)
    {
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                out.writeByte(c);
            }
            else
            {
                i = writeNonAscii(text, i, length);
            }
        }
    }

    private void writeControl(final char c)
    {
        switch (c)
        {
            case '\n' -> out.writeByte('\\').writeByte('n');
            case '\r' -> out.writeByte('\\').writeByte('r');
            case '\t' -> out.writeByte('\\').writeByte('t');
            case '\b' -> out.writeByte('\\').writeByte('b');
            case '\f' -> out.writeByte('\\').writeByte('f');
            default -> out.writeByte('\\').writeByte('u').writeByte('0').writeByte('0')
                .writeByte(HEX[c >> 4]).writeByte(HEX[c & 0xf]);
        }
    }

    private int writeNonAscii(final String text, final int index, final int length)
    {
        final char c = text.charAt(index);
        if (c < 0x800)
        {
            out.writeByte(0xc0 | (c >> 6)).writeByte(0x80 | (c & 0x3f));
            return index;
        }
        if (Character.isHighSurrogate(c) && index + 1 < length && Character.isLowSurrogate(text.charAt(index + 1)))
        {
            final int codePoint = Character.toCodePoint(c, text.charAt(index + 1));
            out.writeByte(0xf0 | (codePoint >> 18))
                .writeByte(0x80 | ((codePoint >> 12) & 0x3f))
                .writeByte(0x80 | ((codePoint >> 6) & 0x3f))
                .writeByte(0x80 | (codePoint & 0x3f));
            return index + 1;
        }
        final char ch = Character.isSurrogate(c) ? '\uFFFD' : c;
        out.writeByte(0xe0 | (ch >> 12)).writeByte(0x80 | ((ch >> 6) & 0x3f)).writeByte(0x80 | (ch & 0x3f));
        return index;
    }
}
