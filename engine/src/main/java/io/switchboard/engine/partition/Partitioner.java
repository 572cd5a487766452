package io.switchboard.engine.partition;

import org.agrona.DirectBuffer;

/**
 * Maps a name (a channel name or a user id, as UTF-8 bytes) to one of a fixed number of partitions:
 * name bytes, then a 64-bit key from a {@link KeyHasher}, then a partition in {@code [0, partitionCount)}.
 * <p>
 * The partition is taken from the low 32 bits of the key with a multiply-shift range reduction rather than a
 * modulo: it is uniform for any partition count, power of two or not, and needs no division. The high bits stay
 * free for hash tables that also index by the key.
 * <p>
 * Every node of a cluster must use the same partition count and hasher, or they disagree on owners.
 * <p>
 * Immutable and thread-safe.
 */
public final class Partitioner
{
    /**
     * Partitions per role when not configured: enough that placement over tens of hosts is even, few enough that
     * a placement table is a few KiB.
     */
    public static final int DEFAULT_PARTITION_COUNT = 4096;

    private final int partitionCount;
    private final KeyHasher hasher;

    /**
     * {@link #DEFAULT_PARTITION_COUNT} partitions and {@link DefaultKeyHasher#INSTANCE}.
     */
    public Partitioner()
    {
        this(DEFAULT_PARTITION_COUNT, DefaultKeyHasher.INSTANCE);
    }

    /**
     * @param partitionCount any positive count.
     */
    public Partitioner(final int partitionCount)
    {
        this(partitionCount, DefaultKeyHasher.INSTANCE);
    }

    /**
     * @param partitionCount any positive count.
     * @param hasher         from name bytes to a 64-bit key.
     */
    public Partitioner(final int partitionCount, final KeyHasher hasher)
    {
        if (partitionCount <= 0)
        {
            throw new IllegalArgumentException("partitionCount must be positive: " + partitionCount);
        }
        if (null == hasher)
        {
            throw new NullPointerException("hasher");
        }

        this.partitionCount = partitionCount;
        this.hasher = hasher;
    }

    /**
     * @return number of partitions.
     */
    public int partitionCount()
    {
        return partitionCount;
    }

    /**
     * @return the hasher from names to keys.
     */
    public KeyHasher hasher()
    {
        return hasher;
    }

    /**
     * @param buffer holding the name.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the 64-bit key of the name.
     */
    public long keyOf(final DirectBuffer buffer, final int offset, final int length)
    {
        return hasher.hash(buffer, offset, length);
    }

    /**
     * @param buffer holding the name.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the partition of the name.
     */
    public int partitionOf(final DirectBuffer buffer, final int offset, final int length)
    {
        return partitionOf(hasher.hash(buffer, offset, length));
    }

    /**
     * @param key from {@link #keyOf(DirectBuffer, int, int)}.
     * @return the partition of the key.
     */
    public int partitionOf(final long key)
    {
        // (low 32 bits) * count < 2^63 for any positive int count, so this cannot overflow.
        return (int)(((key & 0xFFFF_FFFFL) * partitionCount) >>> 32);
    }
}
