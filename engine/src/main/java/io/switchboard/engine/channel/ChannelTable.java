package io.switchboard.engine.channel;

import io.switchboard.engine.partition.KeyHasher;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;

import java.util.Arrays;

/**
 * The channels of one shard with no object per channel: each channel is a dense index into parallel primitive
 * arrays (name reference, last seq, epoch counter, subscriber mask, newest history entry: 28 bytes a channel). The
 * arrays grow in pages of {@link #PAGE_SIZE} entries, so growth never copies or doubles them; names live in a
 * {@link NameArena}. With the index below, an idle channel named like {@code c-12345678} costs about 52 to 60 bytes
 * of heap, depending on how full the index is.
 * <p>
 * Lookup is an open-addressing table of longs, linear probing: the high 32 bits of the name's 64-bit key as a tag
 * and the dense index + 1 in the low 32 bits (0 marks an empty slot). Only the index doubles as it fills (load
 * factor at most 0.6); deletion shifts followers back, so there are no tombstones. A tag match is confirmed by
 * comparing the stored name bytes, so even keys that collide in all 64 bits never mix two channels.
 * <p>
 * Freed dense indexes are reused, newest first. Epochs are {@code epochBase + creation counter} (the counter as an
 * unsigned int): a channel removed and created again gets a new epoch; the counter wraps only after 2^32 creations.
 * <p>
 * Not thread-safe: owned by one shard thread.
 */
final class ChannelTable
{
    static final int NO_CHANNEL = -1;
    static final int NO_ENTRY = -1;
    static final int PAGE_SHIFT = 14;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private static final int PAGE_MASK = PAGE_SIZE - 1;
    private static final long TAG_MASK = 0xFFFF_FFFF_0000_0000L;
    private static final long GOLDEN_RATIO = 0x9E37_79B9_7F4A_7C15L;
    private static final int INITIAL_INDEX_CAPACITY = 64;
    private static final int MAX_INDEX_CAPACITY = 1 << 30;

    private final KeyHasher hasher;
    private final long epochBase;
    private final NameArena names = new NameArena();
    private final IntArrayList freeChannels = new IntArrayList();
    private final NameArena.Relocator relocator = this::relocate;

    private int[][] nameRefs = new int[4][];
    private long[][] lastSeqs = new long[4][];
    private int[][] epochCounters = new int[4][];
    private long[][] subscriberMasks = new long[4][];
    private int[][] newestEntries = new int[4][];
    private int pageCount;
    private int highWaterMark;
    private int count;
    private int epochCounter;

    private long[] index = new long[INITIAL_INDEX_CAPACITY];
    private int indexShift = 64 - Integer.numberOfTrailingZeros(INITIAL_INDEX_CAPACITY);
    private int resizeThreshold = threshold(INITIAL_INDEX_CAPACITY);

    ChannelTable(final KeyHasher hasher, final long epochBase)
    {
        this.hasher = hasher;
        this.epochBase = epochBase;
    }

    /**
     * @param name   buffer holding the name.
     * @param offset of the name.
     * @param length of the name.
     * @param key    of the name from the shard's {@link KeyHasher}.
     * @return dense index of the channel, or {@link #NO_CHANNEL}.
     */
    int find(final DirectBuffer name, final int offset, final int length, final long key)
    {
        final long tag = key & TAG_MASK;
        final int mask = index.length - 1;
        for (int i = home(tag); ; i = (i + 1) & mask)
        {
            final long entry = index[i];
            if (0 == entry)
            {
                return NO_CHANNEL;
            }

            if ((entry & TAG_MASK) == tag)
            {
                final int channel = (int)entry - 1;
                if (names.equals(nameRef(channel), name, offset, length))
                {
                    return channel;
                }
            }
        }
    }

    /**
     * Add a channel that {@link #find} did not find: last seq 0, a new epoch, no subscribers, no history.
     *
     * @param name   buffer holding the name.
     * @param offset of the name.
     * @param length of the name.
     * @param key    of the name from the shard's {@link KeyHasher}.
     * @return dense index of the new channel.
     */
    int add(final DirectBuffer name, final int offset, final int length, final long key)
    {
        if (count >= resizeThreshold)
        {
            growIndex();
        }

        final int channel = allocateChannel();
        final int page = channel >>> PAGE_SHIFT;
        final int slot = channel & PAGE_MASK;
        nameRefs[page][slot] = names.add(name, offset, length);
        lastSeqs[page][slot] = 0;
        epochCounters[page][slot] = epochCounter++;
        subscriberMasks[page][slot] = 0;
        newestEntries[page][slot] = NO_ENTRY;

        insert(index, key & TAG_MASK, channel);
        count++;

        return channel;
    }

    /**
     * Forget a channel: its dense index may be handed out again and its name bytes become garbage.
     *
     * @param channel dense index of a live channel.
     */
    void remove(final int channel)
    {
        final int ref = nameRef(channel);
        final long tag = hasher.hash(names.buffer(ref), names.offset(ref), names.length(ref)) & TAG_MASK;
        final int mask = index.length - 1;
        final long wanted = tag | (channel + 1L);
        int hole = home(tag);
        while (index[hole] != wanted)
        {
            hole = (hole + 1) & mask;
        }

        // Backward-shift deletion: pull later entries of the probe run into the hole when their home allows it.
        for (int i = (hole + 1) & mask; ; i = (i + 1) & mask)
        {
            final long entry = index[i];
            if (0 == entry)
            {
                break;
            }

            final int entryHome = home(entry & TAG_MASK);
            if (((i - entryHome) & mask) >= ((i - hole) & mask))
            {
                index[hole] = entry;
                hole = i;
            }
        }
        index[hole] = 0;

        final int page = channel >>> PAGE_SHIFT;
        final int slot = channel & PAGE_MASK;
        names.free(ref);
        nameRefs[page][slot] = NameArena.NO_REF;
        subscriberMasks[page][slot] = 0;
        newestEntries[page][slot] = NO_ENTRY;
        lastSeqs[page][slot] = 0;
        freeChannels.pushInt(channel);
        count--;

        if (names.shouldCompact())
        {
            names.compact(relocator);
        }
    }

    /**
     * @return live channels.
     */
    int count()
    {
        return count;
    }

    /**
     * @return one past the highest dense index ever used: scans run over {@code [0, highWaterMark())}.
     */
    int highWaterMark()
    {
        return highWaterMark;
    }

    /**
     * @param channel dense index below {@link #highWaterMark()}.
     * @return true when the index holds a live channel rather than a freed one.
     */
    boolean isLive(final int channel)
    {
        return nameRef(channel) != NameArena.NO_REF;
    }

    long lastSeq(final int channel)
    {
        return lastSeqs[channel >>> PAGE_SHIFT][channel & PAGE_MASK];
    }

    /**
     * Assign the next seq of a channel.
     *
     * @param channel dense index.
     * @return the new last seq.
     */
    long nextSeq(final int channel)
    {
        return ++lastSeqs[channel >>> PAGE_SHIFT][channel & PAGE_MASK];
    }

    long epoch(final int channel)
    {
        return epochBase + (epochCounters[channel >>> PAGE_SHIFT][channel & PAGE_MASK] & 0xFFFF_FFFFL);
    }

    long subscriberMask(final int channel)
    {
        return subscriberMasks[channel >>> PAGE_SHIFT][channel & PAGE_MASK];
    }

    void subscriberMask(final int channel, final long mask)
    {
        subscriberMasks[channel >>> PAGE_SHIFT][channel & PAGE_MASK] = mask;
    }

    /**
     * @param channel dense index.
     * @return {@link HistoryLog#entryRef(long)} of the channel's newest retained history entry, or {@link #NO_ENTRY}.
     */
    int newestEntry(final int channel)
    {
        return newestEntries[channel >>> PAGE_SHIFT][channel & PAGE_MASK];
    }

    void newestEntry(final int channel, final int entryRef)
    {
        newestEntries[channel >>> PAGE_SHIFT][channel & PAGE_MASK] = entryRef;
    }

    /**
     * @param channel dense index of a live channel.
     * @return buffer holding the channel's name, see {@link #nameOffset(int)} and {@link #nameLength(int)}.
     */
    DirectBuffer nameBuffer(final int channel)
    {
        return names.buffer(nameRef(channel));
    }

    int nameOffset(final int channel)
    {
        return names.offset(nameRef(channel));
    }

    int nameLength(final int channel)
    {
        return names.length(nameRef(channel));
    }

    /**
     * @return the arena holding the names, for tests and statistics.
     */
    NameArena names()
    {
        return names;
    }

    private int nameRef(final int channel)
    {
        return nameRefs[channel >>> PAGE_SHIFT][channel & PAGE_MASK];
    }

    private int allocateChannel()
    {
        if (!freeChannels.isEmpty())
        {
            return freeChannels.popInt();
        }

        final int channel = highWaterMark;
        if (channel == Integer.MAX_VALUE - 1)
        {
            throw new IllegalStateException("channel table is full");
        }

        final int page = channel >>> PAGE_SHIFT;
        if (page == pageCount)
        {
            addPage();
        }
        highWaterMark++;

        return channel;
    }

    private void addPage()
    {
        if (pageCount == nameRefs.length)
        {
            final int length = pageCount * 2;
            nameRefs = Arrays.copyOf(nameRefs, length);
            lastSeqs = Arrays.copyOf(lastSeqs, length);
            epochCounters = Arrays.copyOf(epochCounters, length);
            subscriberMasks = Arrays.copyOf(subscriberMasks, length);
            newestEntries = Arrays.copyOf(newestEntries, length);
        }

        nameRefs[pageCount] = new int[PAGE_SIZE];
        lastSeqs[pageCount] = new long[PAGE_SIZE];
        epochCounters[pageCount] = new int[PAGE_SIZE];
        subscriberMasks[pageCount] = new long[PAGE_SIZE];
        newestEntries[pageCount] = new int[PAGE_SIZE];
        Arrays.fill(nameRefs[pageCount], NameArena.NO_REF);
        pageCount++;
    }

    private void growIndex()
    {
        final long[] oldIndex = index;
        if (oldIndex.length >= MAX_INDEX_CAPACITY)
        {
            throw new IllegalStateException("channel index is full");
        }

        final long[] newIndex = new long[oldIndex.length * 2];
        index = newIndex;
        indexShift--;
        resizeThreshold = threshold(newIndex.length);
        for (final long entry : oldIndex)
        {
            if (0 != entry)
            {
                insert(newIndex, entry & TAG_MASK, (int)entry - 1);
            }
        }
    }

    private void insert(final long[] table, final long tag, final int channel)
    {
        final int mask = table.length - 1;
        int i = home(tag);
        while (0 != table[i])
        {
            i = (i + 1) & mask;
        }
        table[i] = tag | (channel + 1L);
    }

    private void relocate(final int oldRef, final int newRef)
    {
        final long tag = hasher.hash(names.buffer(newRef), names.offset(newRef), names.length(newRef)) & TAG_MASK;
        final int mask = index.length - 1;
        for (int i = home(tag); ; i = (i + 1) & mask)
        {
            final long entry = index[i];
            if (0 == entry)
            {
                throw new IllegalStateException("relocated name has no channel: ref=" + oldRef);
            }

            if ((entry & TAG_MASK) == tag)
            {
                final int channel = (int)entry - 1;
                final int page = channel >>> PAGE_SHIFT;
                final int slot = channel & PAGE_MASK;
                if (nameRefs[page][slot] == oldRef)
                {
                    nameRefs[page][slot] = newRef;
                    return;
                }
            }
        }
    }

    /**
     * Fibonacci hashing of the tag: its top bits pick the home slot, so tags that share low bits (names of one
     * partition) still spread over the table.
     */
    private int home(final long tag)
    {
        return (int)(((tag >>> 32) * GOLDEN_RATIO) >>> indexShift);
    }

    private static int threshold(final int capacity)
    {
        return (int)(capacity * 0.6);
    }
}
