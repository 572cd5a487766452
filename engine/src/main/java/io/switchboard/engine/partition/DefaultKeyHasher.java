package io.switchboard.engine.partition;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A fast 64-bit hash over names: eight bytes at a time, each word scrambled and folded in, then MurmurHash3's
 * 64-bit finaliser so that every input bit reaches every output bit (partitions use the low bits, consistent
 * hashing the high ones). Not cryptographic: callers that face hostile names still compare full names.
 * <p>
 * Stateless and thread-safe.
 */
public final class DefaultKeyHasher implements KeyHasher
{
    /**
     * The shared instance.
     */
    public static final DefaultKeyHasher INSTANCE = new DefaultKeyHasher();

    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long C1 = 0x87C37B91114253D5L;
    private static final long C2 = 0x4CF5AD432745937FL;

    private DefaultKeyHasher()
    {
    }

    /**
     * {@inheritDoc}
     */
    public long hash(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = SEED ^ (length * C2);
        int i = 0;
        for (final int end = length - 7; i < end; i += 8)
        {
            h ^= scramble(buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN));
            h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729L;
        }

        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8)
        {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        h ^= scramble(tail);

        return fmix64(h);
    }

    private static long scramble(final long k)
    {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    private static long fmix64(final long k)
    {
        long h = k;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB93FE63A53C3L;
        h ^= h >>> 33;
        return h;
    }
}
