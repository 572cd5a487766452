package io.switchboard.engine.reaction;

import io.switchboard.engine.partition.NameBuffer;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * Counts per emoji for one (channel, target) during one window. Emoji are few per window, so they sit in small
 * arrays searched linearly, their names packed one after another in one growable buffer. Pooled by
 * {@link ReactionBatcher}: arrays and buffers are kept when the object is reused.
 * <p>
 * Not thread-safe: owned by the shard thread.
 */
final class ReactionWindow
{
    final NameBuffer channel = new NameBuffer();
    final NameBuffer target = new NameBuffer();
    final ExpandableArrayBuffer emojiNames = new ExpandableArrayBuffer(64);

    long key;
    long startNs;
    long endNs;
    boolean current;
    ReactionWindow nextWithSameKey;
    ReactionWindow nextDue;

    int emojiCount;
    int[] emojiOffsets = new int[4];
    int[] emojiLengths = new int[4];
    long[] counts = new long[4];
    private int emojiNamesLength;

    boolean isFor(
        final DirectBuffer channel,
        final int channelOffset,
        final int channelLength,
        final DirectBuffer target,
        final int targetOffset,
        final int targetLength)
    {
        return this.channel.equalsName(channel, channelOffset, channelLength) &&
            this.target.equalsName(target, targetOffset, targetLength);
    }

    /**
     * @return false when the emoji is new and the window already counts {@code maxEmoji} distinct ones.
     */
    boolean count(final DirectBuffer emoji, final int offset, final int length, final int maxEmoji)
    {
        for (int i = 0; i < emojiCount; i++)
        {
            if (emojiLengths[i] == length && NameBuffer.equalBytes(emojiNames, emojiOffsets[i], emoji, offset, length))
            {
                counts[i]++;
                return true;
            }
        }

        if (emojiCount == maxEmoji)
        {
            return false;
        }

        if (emojiCount == counts.length)
        {
            final int capacity = emojiCount * 2;
            emojiOffsets = Arrays.copyOf(emojiOffsets, capacity);
            emojiLengths = Arrays.copyOf(emojiLengths, capacity);
            counts = Arrays.copyOf(counts, capacity);
        }

        emojiNames.putBytes(emojiNamesLength, emoji, offset, length);
        emojiOffsets[emojiCount] = emojiNamesLength;
        emojiLengths[emojiCount] = length;
        counts[emojiCount] = 1;
        emojiCount++;
        emojiNamesLength += length;

        return true;
    }

    void clear()
    {
        current = false;
        nextWithSameKey = null;
        nextDue = null;
        emojiCount = 0;
        emojiNamesLength = 0;
    }
}
