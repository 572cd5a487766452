package io.switchboard.engine.channel;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Channel names stored back to back in fixed-size byte pages, so that millions of names cost their bytes plus a
 * length prefix (one byte below 64 bytes of name, else two) and no object each. A name is addressed by an int
 * reference: page index in the high bits, offset of its prefix in the page in the low {@link #PAGE_SHIFT} bits. A
 * name never crosses a page.
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
    /**
     * Prefix, first byte: bit 7 set for the two-byte form, bit 6 set once freed, bits 0-5 the length (short form) or
     * its high bits (long form, the low eight in the second byte). 0xFF alone ends a page: as a long form it would
     * claim a length above {@link #MAX_NAME_LENGTH}, so it is never a real prefix.
     */
    private static final int LONG_FORM = 0x80;
    private static final int DEAD_FLAG = 0x40;
    private static final int SHORT_LENGTH_LIMIT = 0x40;
    private static final int END_OF_PAGE = 0xFF;

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
        final int prefixLength = length < SHORT_LENGTH_LIMIT ? 1 : 2;
        final int recordLength = prefixLength + length;
        if (writeOffset + recordLength > PAGE_SIZE)
        {
            nextPage();
        }

        final UnsafeBuffer page = pages[writePage];
        if (1 == prefixLength)
        {
            page.putByte(writeOffset, (byte)length);
        }
        else
        {
            page.putByte(writeOffset, (byte)(LONG_FORM | (length >>> 8)));
            page.putByte(writeOffset + 1, (byte)length);
        }
        page.putBytes(writeOffset + prefixLength, src, offset, length);
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
        final int recordLength = recordLength(page, offset);
        page.putByte(offset, (byte)(page.getByte(offset) | DEAD_FLAG));
        liveBytes -= recordLength;
        deadBytes += recordLength;
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
        final int prefixOffset = ref & (PAGE_SIZE - 1);
        return prefixOffset + prefixLength(pages[ref >>> PAGE_SHIFT], prefixOffset);
    }

    /**
     * @param ref of a live name.
     * @return length of the name in bytes.
     */
    int length(final int ref)
    {
        return nameLength(pages[ref >>> PAGE_SHIFT], ref & (PAGE_SIZE - 1));
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
        if (nameLength(page, prefixOffset) != length)
        {
            return false;
        }

        final int nameOffset = prefixOffset + prefixLength(page, prefixOffset);
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
            while (fromOffset < limit)
            {
                final int prefix = page.getByte(fromOffset) & 0xFF;
                if (END_OF_PAGE == prefix)
                {
                    break;
                }

                final int recordLength = recordLength(page, fromOffset);
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
        if (offset < PAGE_SIZE)
        {
            page.putByte(offset, (byte)END_OF_PAGE);
        }
    }

    private static int prefixLength(final UnsafeBuffer page, final int prefixOffset)
    {
        return 0 == (page.getByte(prefixOffset) & LONG_FORM) ? 1 : 2;
    }

    private static int nameLength(final UnsafeBuffer page, final int prefixOffset)
    {
        final int first = page.getByte(prefixOffset) & 0xFF;
        if (0 == (first & LONG_FORM))
        {
            return first & (SHORT_LENGTH_LIMIT - 1);
        }

        return ((first & (SHORT_LENGTH_LIMIT - 1)) << 8) | (page.getByte(prefixOffset + 1) & 0xFF);
    }

    private static int recordLength(final UnsafeBuffer page, final int prefixOffset)
    {
        return prefixLength(page, prefixOffset) + nameLength(page, prefixOffset);
    }

    private static int ref(final int page, final int offset)
    {
        return (page << PAGE_SHIFT) | offset;
    }
}
