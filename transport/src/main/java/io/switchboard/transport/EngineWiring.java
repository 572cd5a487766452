package io.switchboard.transport;

import io.switchboard.engine.channel.ChannelShard;
import io.switchboard.engine.channel.ChannelShardContext;
import io.switchboard.engine.partition.Partitioner;
import io.switchboard.engine.partition.ShardMap;
import io.switchboard.engine.presence.PresenceShard;
import io.switchboard.engine.presence.PresenceShardContext;
import io.switchboard.engine.shard.ShardContext;
import io.switchboard.engine.shard.ShardSelector;
import org.agrona.ErrorHandler;

/**
 * Wires the engine's {@link ChannelShard}s and {@link PresenceShard}s into a node's shard hosts. A key goes to the
 * shard of its partition, so a partition lives on exactly one shard of its host and moves between hosts whole.
 */
public final class EngineWiring implements SwitchboardNode.RoleWiring
{
    /**
     * {@inheritDoc}
     */
    public ShardHost channelHost(final NodeContext context, final PeerDirectory sink, final ErrorHandler errorHandler)
    {
        final ShardSelector selector = selector(context, context.channelShards());
        return new ShardHost("channel", context.channelShards(),
            shard -> new ChannelShard(new ChannelShardContext().outboundSink(sink)),
            selector, () -> shardContext(context), errorHandler);
    }

    /**
     * {@inheritDoc}
     */
    public ShardHost presenceHost(final NodeContext context, final PeerDirectory sink, final ErrorHandler errorHandler)
    {
        final int shards = context.presenceShards();
        final ShardSelector selector = selector(context, shards);
        return new ShardHost("presence", shards,
            shard -> new PresenceShard(new PresenceShardContext()
                .outboundSink(sink)
                // Watches and queries name many users and reach every shard; each answers for its own users.
                .userOwnership((buffer, offset, length) -> selector.shardOf(buffer, offset, length) == shard)),
            selector, () -> shardContext(context), errorHandler);
    }

    private static ShardSelector selector(final NodeContext context, final int shards)
    {
        final Partitioner partitioner = new Partitioner(context.partitions());
        final ShardMap shardMap = new ShardMap(shards);
        return (name, offset, length) -> shardMap.shardOf(partitioner.partitionOf(name, offset, length));
    }

    private static ShardContext shardContext(final NodeContext context)
    {
        final ShardContext shardContext = new ShardContext();
        if (null != context.shardWaitStrategy())
        {
            shardContext.waitStrategy(context.shardWaitStrategy());
        }
        return shardContext;
    }
}
