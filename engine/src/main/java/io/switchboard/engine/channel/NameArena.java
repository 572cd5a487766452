package io.switchboard.engine.channel;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Channel names stored back to back in fixed-size byte pages, so that millions of names cost their bytes plus a
 * two-byte length prefix and no object each. A name is addressed by an int reference: page index in the high bits,
 * offset of its prefix in the page in the low {@link #PAGE_SHIFT} bits. A name never crosses a page.
 * <p>
 * Freeing a name only marks its prefix dead. Once dead bytes outweigh live bytes (and at least a page of them),
 * {@link #compact(Relocator)} slides the live names down in place, in arena order, telling the owner of each moved
 * name its new reference; the cost is linear in the arena and is paid at most once per arena-size of freed bytes, so
 * churn costs O(1) amortised per freed byte and never grows the arena without bound.
 * <p>
 * Not thread-safe: owned by one shard thread.
 */
final class NameArena
{
    static final int PAGE_SHIFT = 16;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int MAX_NAME_LENGTH = 1024;
    static final int NO_REF = -1;

    private static final int MAX_PAGES = 1 << (31 - PAGE_SHIFT);
    private static final int PREFIX_LENGTH = 2;
    private static final int DEAD_FLAG = 0x8000;
    private static final int LENGTH_MASK = 0x7FFF;
    private static final int END_OF_PAGE = 0xFFFF;

    /**
     * Told where a live name moved during compaction.
     */
    @FunctionalInterface
    interface Relocator
    {
        /**
         * @param oldRef reference the owner holds.
         * @param newRef reference of the same bytes from now on; the bytes are already in place.
         */
        void relocate(int oldRef, int newRef);
    }

    private UnsafeBuffer[] pages = new UnsafeBuffer[4];
    private int writePage = -1;
    private int writeOffset = PAGE_SIZE;
    private long liveBytes;
    private long deadBytes;

    /**
     * Copy a name into the arena.
     *
     * @param src    holding the name.
     * @param offset of the first byte.
     * @param length in bytes, 0 to {@link #MAX_NAME_LENGTH}.
     * @return reference to the stored name.
     */
    int add(final DirectBuffer src, final int offset, final int length)
    {
        final int recordLength = PREFIX_LENGTH + length;
        if (writeOffset + recordLength > PAGE_SIZE)
        {
            nextPage();
        }

        final UnsafeBuffer page = pages[writePage];
        page.putShort(writeOffset, (short)length, ByteOrder.LITTLE_ENDIAN);
        page.putBytes(writeOffset + PREFIX_LENGTH, src, offset, length);
        final int ref = ref(writePage, writeOffset);
        writeOffset += recordLength;
        liveBytes += recordLength;

        return ref;
    }

    /**
     * Mark a name's bytes as garbage; the reference must not be used afterwards.
     *
     * @param ref of a live name.
     */
    void free(final int ref)
    {
        final UnsafeBuffer page = pages[ref >>> PAGE_SHIFT];
        final int offset = ref & (PAGE_SIZE - 1);
        final int length = page.getShort(offset, ByteOrder.LITTLE_ENDIAN) & LENGTH_MASK;
        page.putShort(offset, (short)(length | DEAD_FLAG), ByteOrder.LITTLE_ENDIAN);
        liveBytes -= PREFIX_LENGTH + length;
        deadBytes += PREFIX_LENGTH + length;
    }

    /**
     * @param ref of a live name.
     * @return the page buffer holding the name's bytes.
     */
    UnsafeBuffer buffer(final int ref)
    {
        return pages[ref >>> PAGE_SHIFT];
    }

    /**
     * @param ref of a live name.
     * @return offset of the name's first byte in {@link #buffer(int)}.
     */
    int offset(final int ref)
    {
        return (ref & (PAGE_SIZE - 1)) + PREFIX_LENGTH;
    }

    /**
     * @param ref of a live name.
     * @return length of the name in bytes.
     */
    int length(final int ref)
    {
        return pages[ref >>> PAGE_SHIFT].getShort(ref & (PAGE_SIZE - 1), ByteOrder.LITTLE_ENDIAN) & LENGTH_MASK;
    }

    /**
     * @param ref    of a live name.
     * @param src    holding the candidate.
     * @param offset of the candidate's first byte.
     * @param length of the candidate.
     * @return true when the stored name has exactly the candidate's bytes.
     */
    boolean equals(final int ref, final DirectBuffer src, final int offset, final int length)
    {
        final UnsafeBuffer page = pages[ref >>> PAGE_SHIFT];
        final int prefixOffset = ref & (PAGE_SIZE - 1);
        if ((page.getShort(prefixOffset, ByteOrder.LITTLE_ENDIAN) & LENGTH_MASK) != length)
        {
            return false;
        }

        final int nameOffset = prefixOffset + PREFIX_LENGTH;
        int i = 0;
        for (final int end = length - 7; i < end; i += 8)
        {
            if (page.getLong(nameOffset + i) != src.getLong(offset + i))
            {
                return false;
            }
        }

        for (; i < length; i++)
        {
            if (page.getByte(nameOffset + i) != src.getByte(offset + i))
            {
                return false;
            }
        }

        return true;
    }

    /**
     * @return true when dead bytes outweigh live ones by enough to make {@link #compact(Relocator)} worth its pass.
     */
    boolean shouldCompact()
    {
        return deadBytes >= PAGE_SIZE && deadBytes > liveBytes;
    }

    /**
     * Slide live names down over dead ones, in arena order, and release the pages left empty. A name only ever moves
     * to a lower address, so the copy is done in place without a second arena.
     *
     * @param relocator told of every name that moved, after its bytes are in place.
     */
    void compact(final Relocator relocator)
    {
        int toPage = 0;
        int toOffset = 0;
        for (int fromPage = 0; fromPage <= writePage; fromPage++)
        {
            final UnsafeBuffer page = pages[fromPage];
            final int limit = fromPage == writePage ? writeOffset : PAGE_SIZE;
            int fromOffset = 0;
            while (fromOffset + PREFIX_LENGTH <= limit)
            {
                final int prefix = page.getShort(fromOffset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                if (END_OF_PAGE == prefix)
                {
                    break;
                }

                final int recordLength = PREFIX_LENGTH + (prefix & LENGTH_MASK);
                if (0 == (prefix & DEAD_FLAG))
                {
                    if (toOffset + recordLength > PAGE_SIZE)
                    {
                        endPage(pages[toPage], toOffset);
                        toPage++;
                        toOffset = 0;
                    }

                    if (toPage != fromPage || toOffset != fromOffset)
                    {
                        System.arraycopy(
                            page.byteArray(), fromOffset, pages[toPage].byteArray(), toOffset, recordLength);
                        relocator.relocate(ref(fromPage, fromOffset), ref(toPage, toOffset));
                    }
                    toOffset += recordLength;
                }
                fromOffset += recordLength;
            }
        }

        for (int i = toPage + 1; i <= writePage; i++)
        {
            pages[i] = null;
        }
        writePage = toPage;
        writeOffset = toOffset;
        deadBytes = 0;
    }

    /**
     * @return bytes held by live names, prefixes included.
     */
    long liveBytes()
    {
        return liveBytes;
    }

    /**
     * @return bytes of freed names not yet reclaimed.
     */
    long deadBytes()
    {
        return deadBytes;
    }

    /**
     * @return pages currently allocated.
     */
    int pageCount()
    {
        return writePage + 1;
    }

    private void nextPage()
    {
        if (writePage >= 0)
        {
            endPage(pages[writePage], writeOffset);
        }

        final int page = writePage + 1;
        if (page >= MAX_PAGES)
        {
            throw new IllegalStateException("channel name arena is full");
        }

        if (page == pages.length)
        {
            pages = Arrays.copyOf(pages, Math.min(MAX_PAGES, pages.length * 2));
        }

        if (null == pages[page])
        {
            pages[page] = new UnsafeBuffer(new byte[PAGE_SIZE]);
        }
        writePage = page;
        writeOffset = 0;
    }

    private static void endPage(final UnsafeBuffer page, final int offset)
    {
        if (offset + PREFIX_LENGTH <= PAGE_SIZE)
        {
            page.putShort(offset, (short)END_OF_PAGE, ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static int ref(final int page, final int offset)
    {
        return (page << PAGE_SHIFT) | offset;
    }
}
