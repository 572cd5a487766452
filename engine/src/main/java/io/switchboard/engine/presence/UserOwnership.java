package io.switchboard.engine.presence;

import io.switchboard.engine.partition.Partitioner;
import io.switchboard.engine.partition.ShardMap;
import org.agrona.DirectBuffer;

/**
 * Which users a {@link PresenceShard} is responsible for. Messages that name one user (connect, disconnect, set
 * status) are routed to the owning shard by the pipeline; messages that list many (watch, unwatch, query) reach
 * every shard of a host, and each shard keeps only the users this predicate accepts, so that a user's state lives
 * in exactly one shard.
 * <p>
 * Implementations must be stateless and thread-safe.
 */
@FunctionalInterface
public interface UserOwnership
{
    /**
     * Owns every user: a host with a single presence shard.
     */
    UserOwnership ALL = (buffer, offset, length) -> true;

    /**
     * @param buffer holding the user id.
     * @param offset of its first byte.
     * @param length in bytes.
     * @return true when this shard holds the user's state.
     */
    boolean owns(DirectBuffer buffer, int offset, int length);

    /**
     * The users whose partition falls on one shard of the host.
     *
     * @param partitioner from user id to partition, the same one the pipeline routes with.
     * @param shardMap    from partition to shard.
     * @param shardIndex  of the shard this ownership is for.
     * @return the ownership of that shard.
     */
    static UserOwnership ofShard(final Partitioner partitioner, final ShardMap shardMap, final int shardIndex)
    {
        if (shardIndex < 0 || shardIndex >= shardMap.shardCount())
        {
            throw new IllegalArgumentException("shardIndex out of range: " + shardIndex);
        }

        return (buffer, offset, length) ->
            shardMap.shardOf(partitioner.partitionOf(buffer, offset, length)) == shardIndex;
    }
}
