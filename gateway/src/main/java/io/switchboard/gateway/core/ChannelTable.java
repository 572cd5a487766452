package io.switchboard.gateway.core;

import io.switchboard.gateway.json.Utf8;
import org.agrona.DirectBuffer;
import org.agrona.collections.Hashing;

import java.util.ConcurrentModificationException;
import java.util.function.Consumer;

/**
 * The gateway's channels by name: open addressing over one array of {@link LocalChannel}s, keyed by the name each
 * channel already holds (a map would hold every key a second time), with linear probing and backward-shift removal.
 * <p>
 * A channel can be found by its name as a {@code String} (client requests) or as the UTF-8 bytes a host sent
 * ({@link #get(DirectBuffer, int, int)}): the bytes are hashed and compared as the UTF-16 text they decode to, so an
 * event from a host is routed without making a {@code String} of its channel's name.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class ChannelTable
{
    private static final int MIN_CAPACITY = 64;
    private static final long NO_MATCH = -1L;

    private LocalChannel[] slots = new LocalChannel[MIN_CAPACITY];
    private int size;
    private int resizeAt = (int)(MIN_CAPACITY * Hashing.DEFAULT_LOAD_FACTOR);
    private int modifications;

    int size()
    {
        return size;
    }

    /**
     * @param name a channel name.
     * @return the channel of that name, or null.
     */
    LocalChannel get(final String name)
    {
        final int mask = slots.length - 1;
        for (int index = Hashing.hash(name.hashCode(), mask); ; index = (index + 1) & mask)
        {
            final LocalChannel channel = slots[index];
            if (null == channel || channel.name.equals(name))
            {
                return channel;
            }
        }
    }

    /**
     * @param buffer holding a channel name in UTF-8.
     * @param offset where the name starts.
     * @param length its length in bytes.
     * @return the channel of that name, or null (also when the bytes are not UTF-8).
     */
    LocalChannel get(final DirectBuffer buffer, final int offset, final int length)
    {
        final long hash = utf16(buffer, offset, length, null);
        if (NO_MATCH == hash)
        {
            return null;
        }
        final int mask = slots.length - 1;
        for (int index = Hashing.hash((int)hash, mask); ; index = (index + 1) & mask)
        {
            final LocalChannel channel = slots[index];
            if (null == channel || ((int)hash == channel.name.hashCode() &&
                NO_MATCH != utf16(buffer, offset, length, channel.name)))
            {
                return channel;
            }
        }
    }

    /**
     * @param channel a channel whose name is not in the table yet.
     * @throws IllegalStateException when a channel of that name is.
     */
    void put(final LocalChannel channel)
    {
        if (size >= resizeAt)
        {
            resize(slots.length << 1);
        }
        final int mask = slots.length - 1;
        int index = Hashing.hash(channel.name.hashCode(), mask);
        while (null != slots[index])
        {
            if (slots[index].name.equals(channel.name))
            {
                throw new IllegalStateException("channel already in the table: " + channel.name);
            }
            index = (index + 1) & mask;
        }
        slots[index] = channel;
        size++;
        modifications++;
    }

    /**
     * @param channel a channel.
     * @return true when it was this very channel under its name, and is removed now.
     */
    boolean remove(final LocalChannel channel)
    {
        final int mask = slots.length - 1;
        int index = Hashing.hash(channel.name.hashCode(), mask);
        while (slots[index] != channel)
        {
            if (null == slots[index])
            {
                return false;
            }
            index = (index + 1) & mask;
        }
        slots[index] = null;
        size--;
        modifications++;
        // Move back every entry of the run after the hole that the hole would hide from its own lookups.
        for (int next = (index + 1) & mask; null != slots[next]; next = (next + 1) & mask)
        {
            final int home = Hashing.hash(slots[next].name.hashCode(), mask);
            if (((next - home) & mask) >= ((next - index) & mask))
            {
                slots[index] = slots[next];
                slots[next] = null;
                index = next;
            }
        }
        return true;
    }

    /**
     * Visit every channel; the visitor may change channels but not add them to or remove them from the table.
     *
     * @param visitor called once per channel.
     * @throws ConcurrentModificationException when the visitor added or removed a channel.
     */
    void forEach(final Consumer<LocalChannel> visitor)
    {
        final int expected = modifications;
        final LocalChannel[] walking = slots;
        for (final LocalChannel channel : walking)
        {
            if (null != channel)
            {
                visitor.accept(channel);
                if (modifications != expected)
                {
                    throw new ConcurrentModificationException("channels added or removed during a walk");
                }
            }
        }
    }

    private void resize(final int capacity)
    {
        final LocalChannel[] old = slots;
        final LocalChannel[] resized = new LocalChannel[capacity];
        final int mask = capacity - 1;
        for (final LocalChannel channel : old)
        {
            if (null != channel)
            {
                int index = Hashing.hash(channel.name.hashCode(), mask);
                while (null != resized[index])
                {
                    index = (index + 1) & mask;
                }
                resized[index] = channel;
            }
        }
        slots = resized;
        resizeAt = (int)(capacity * Hashing.DEFAULT_LOAD_FACTOR);
    }

    /**
     * Walk UTF-8 bytes as the UTF-16 text they decode to.
     *
     * @param expected null to hash, or the text to compare with.
     * @return with no text expected, {@code String.hashCode()} of the decoded text (as an unsigned int); with one,
     * 0 when the bytes decode to it. {@link #NO_MATCH} when they are not well-formed UTF-8 or decode to other text.
     */
    static long utf16(final DirectBuffer buffer, final int offset, final int length, final String expected)
    {
        if (null != expected && expected.length() > length)
        {
            return NO_MATCH; // every UTF-16 unit takes at least one byte
        }
        int hash = 0;
        int units = 0;
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int sequence = Utf8.sequenceLength(buffer, i, end);
            if (0 == sequence)
            {
                return NO_MATCH;
            }
            final int codePoint = Utf8.codePoint(buffer, i, sequence);
            i += sequence;

            if (codePoint < 0x10000)
            {
                if (null != expected && (units >= expected.length() || expected.charAt(units) != codePoint))
                {
                    return NO_MATCH;
                }
                hash = 31 * hash + codePoint;
                units++;
            }
            else
            {
                final char highSurrogate = Character.highSurrogate(codePoint);
                final char lowSurrogate = Character.lowSurrogate(codePoint);
                if (null != expected && (units + 1 >= expected.length() ||
                    expected.charAt(units) != highSurrogate || expected.charAt(units + 1) != lowSurrogate))
                {
                    return NO_MATCH;
                }
                hash = 31 * (31 * hash + highSurrogate) + lowSurrogate;
                units += 2;
            }
        }
        if (null != expected)
        {
            return units == expected.length() ? 0 : NO_MATCH;
        }
        return hash & 0xffff_ffffL;
    }
}
