package io.switchboard.engine.partition;

/**
 * Which shard inside a host handles a partition: {@code partition % shardCount}.
 * <p>
 * A plain modulo keeps a partition on the same shard whatever else the host owns, so a change of placement never
 * moves state between the shards of a host that keeps the partition. Partitions are already a uniform spread of
 * names, so the modulo spreads a host's load over its shards as well as any scheme that ignores load would.
 * <p>
 * Immutable and thread-safe.
 */
public final class ShardMap
{
    private final int shardCount;

    /**
     * @param shardCount shards in the host, positive.
     */
    public ShardMap(final int shardCount)
    {
        if (shardCount <= 0)
        {
            throw new IllegalArgumentException("shardCount must be positive: " + shardCount);
        }

        this.shardCount = shardCount;
    }

    /**
     * @return shards in the host.
     */
    public int shardCount()
    {
        return shardCount;
    }

    /**
     * @param partition a partition, not negative.
     * @return the index of the shard that handles it, in {@code [0, shardCount)}.
     */
    public int shardOf(final int partition)
    {
        return partition % shardCount;
    }
}
