package io.switchboard.transport;

import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.NodeLostEncoder;
import io.switchboard.engine.ShardHandler;
import io.switchboard.engine.shard.ShardContext;
import io.switchboard.engine.shard.ShardPipeline;
import io.switchboard.engine.shard.ShardRouter;
import io.switchboard.engine.shard.ShardSelector;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.IntFunction;

/**
 * The host side of a role that keeps state in shards (channel host, presence host): one Disruptor pipeline per
 * shard, fed by the node agent through a {@link ShardRouter}. A full ring makes the agent hold the inbound stream
 * ({@link InboundHandler#HOLD}) so Aeron's flow control reaches the sender; nothing is dropped.
 * <p>
 * Thread-safety: {@link #onMessage}, {@link #tick} and {@link #onPeerLost} are called on the node agent's thread
 * (the single producer of every ring); {@link #close} on the owner's thread after the agent stopped.
 */
public final class ShardHost implements InboundHandler, AutoCloseable
{
    private final String role;
    private final ShardRouter router;
    private final ShardHandler[] handlers;
    private final UnsafeBuffer nodeLostBuffer = new UnsafeBuffer(new byte[64]);
    private final NodeLostEncoder nodeLostEncoder = new NodeLostEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private long refused;

    /**
     * @param role         name for threads and logs ("channel", "presence").
     * @param shardCount   number of shards.
     * @param handlerFactory creates the state of shard i.
     * @param selector     key to shard index.
     * @param shardContext template of each shard's settings (thread name and error handler are set here).
     * @param errorHandler where shard errors go.
     */
    public ShardHost(
        final String role,
        final int shardCount,
        final IntFunction<ShardHandler> handlerFactory,
        final ShardSelector selector,
        final java.util.function.Supplier<ShardContext> shardContext,
        final ErrorHandler errorHandler)
    {
        this.role = role;
        this.handlers = new ShardHandler[shardCount];
        final ShardPipeline[] pipelines = new ShardPipeline[shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            handlers[i] = handlerFactory.apply(i);
            pipelines[i] = new ShardPipeline(
                shardContext.get().threadName("switchboard-" + role + "-shard-" + i).errorHandler(errorHandler),
                handlers[i]);
        }
        for (final ShardPipeline pipeline : pipelines)
        {
            pipeline.start();
        }
        this.router = new ShardRouter(pipelines, selector);
    }

    /**
     * {@inheritDoc}
     */
    public int onMessage(final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int result = router.route(buffer, offset, length);
        if (ShardPipeline.BACK_PRESSURED == result)
        {
            return HOLD;
        }
        if (ShardPipeline.OFFERED != result)
        {
            refused++;
        }
        return CONSUMED;
    }

    /**
     * Tell every shard that a peer is gone, so its subscriptions, connections and watches go with it. Retried by
     * the caller's next tick while rings are full.
     *
     * @param nodeId of the lost peer.
     * @return true when every shard got it.
     */
    public boolean onPeerLost(final int nodeId)
    {
        nodeLostEncoder.wrapAndApplyHeader(nodeLostBuffer, 0, headerEncoder)
            .nodeId(nodeId)
            .timestampNs(System.currentTimeMillis() * 1_000_000L);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + nodeLostEncoder.encodedLength();
        return ShardPipeline.OFFERED == router.route(nodeLostBuffer, 0, length);
    }

    /**
     * Drive the shards' time-based work (reaction windows) while no message arrives.
     */
    public void tick()
    {
        router.tick(System.nanoTime());
    }

    /**
     * @param index of a shard.
     * @return its state; read it only when the shard is stopped or from its own thread.
     */
    public ShardHandler handler(final int index)
    {
        return handlers[index];
    }

    /**
     * @return number of shards.
     */
    public int shardCount()
    {
        return handlers.length;
    }

    /**
     * @return messages refused for a reason other than back-pressure (closed, too large, not routable).
     */
    public long refused()
    {
        return refused;
    }

    /**
     * @return role name.
     */
    public String role()
    {
        return role;
    }

    /**
     * Drain and stop every shard.
     */
    public void close()
    {
        router.close();
    }
}
