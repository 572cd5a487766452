package io.switchboard.engine.shard;

import org.agrona.DirectBuffer;

/**
 * Chooses the shard, inside one host, that owns a key (a channel name or a user id). Must agree with the
 * partitioning used across hosts so that a partition lives on exactly one shard of its host.
 * <p>
 * Implementations must be stateless or effectively immutable.
 */
@FunctionalInterface
public interface ShardSelector
{
    /**
     * @param name   bytes of the key.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return shard index.
     */
    int shardOf(DirectBuffer name, int offset, int length);
}
