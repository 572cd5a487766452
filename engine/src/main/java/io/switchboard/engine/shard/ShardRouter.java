package io.switchboard.engine.shard;

import io.switchboard.codecs.HistoryRequestDecoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.NodeLostDecoder;
import io.switchboard.codecs.PresenceConnectDecoder;
import io.switchboard.codecs.PresenceDisconnectDecoder;
import io.switchboard.codecs.PresenceQueryDecoder;
import io.switchboard.codecs.PresenceSetStatusDecoder;
import io.switchboard.codecs.PresenceUnwatchDecoder;
import io.switchboard.codecs.PresenceWatchDecoder;
import io.switchboard.codecs.PublishDecoder;
import io.switchboard.codecs.ReactDecoder;
import io.switchboard.codecs.SubscribeDecoder;
import io.switchboard.codecs.TransientDecoder;
import io.switchboard.codecs.UnsubscribeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Routes validated inbound messages to the shard that owns their key: a channel message by its channel name, a
 * per-user presence message by its user. Messages that concern every shard (a lost node, a watch or query naming
 * many users) go to all shards, and only when every ring has room, so a shard never sees half of a broadcast.
 * <p>
 * Not thread-safe: one producer thread (the host's inbound poller) routes.
 */
public final class ShardRouter implements AutoCloseable
{
    /**
     * The message has no route to a shard (an outbound-only or unknown template).
     */
    public static final int NOT_ROUTABLE = -4;

    private final ShardPipeline[] shards;
    private final ShardSelector selector;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final UnsafeBuffer key = new UnsafeBuffer(0, 0);
    private final SubscribeDecoder subscribe = new SubscribeDecoder();
    private final UnsubscribeDecoder unsubscribe = new UnsubscribeDecoder();
    private final PublishDecoder publish = new PublishDecoder();
    private final TransientDecoder transientEvent = new TransientDecoder();
    private final ReactDecoder react = new ReactDecoder();
    private final HistoryRequestDecoder history = new HistoryRequestDecoder();
    private final PresenceConnectDecoder connect = new PresenceConnectDecoder();
    private final PresenceDisconnectDecoder disconnect = new PresenceDisconnectDecoder();
    private final PresenceSetStatusDecoder setStatus = new PresenceSetStatusDecoder();

    /**
     * @param shards   the pipelines, index = shard number.
     * @param selector key to shard number, in [0, shards.length).
     */
    public ShardRouter(final ShardPipeline[] shards, final ShardSelector selector)
    {
        if (shards.length == 0)
        {
            throw new IllegalArgumentException("at least one shard is needed");
        }
        this.shards = shards.clone();
        this.selector = selector;
    }

    /**
     * @return number of shards.
     */
    public int shardCount()
    {
        return shards.length;
    }

    /**
     * @param index shard number.
     * @return that shard's pipeline.
     */
    public ShardPipeline shard(final int index)
    {
        return shards[index];
    }

    /**
     * Route one validated message.
     *
     * @param buffer holding the message.
     * @param offset of its header.
     * @param length of header plus body.
     * @return {@link ShardPipeline#OFFERED}, {@link ShardPipeline#BACK_PRESSURED}, {@link ShardPipeline#TOO_LARGE},
     * {@link ShardPipeline#CLOSED} or {@link #NOT_ROUTABLE}.
     */
    public int route(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();

        switch (header.templateId())
        {
            case SubscribeDecoder.TEMPLATE_ID:
                subscribe.wrap(buffer, bodyOffset, blockLength, version).wrapChannel(key);
                break;
            case UnsubscribeDecoder.TEMPLATE_ID:
                unsubscribe.wrap(buffer, bodyOffset, blockLength, version).wrapChannel(key);
                break;
            case PublishDecoder.TEMPLATE_ID:
                publish.wrap(buffer, bodyOffset, blockLength, version).wrapChannel(key);
                break;
            case TransientDecoder.TEMPLATE_ID:
                transientEvent.wrap(buffer, bodyOffset, blockLength, version).wrapChannel(key);
                break;
            case ReactDecoder.TEMPLATE_ID:
                react.wrap(buffer, bodyOffset, blockLength, version).wrapChannel(key);
                break;
            case HistoryRequestDecoder.TEMPLATE_ID:
                history.wrap(buffer, bodyOffset, blockLength, version).wrapChannel(key);
                break;
            case PresenceConnectDecoder.TEMPLATE_ID:
                connect.wrap(buffer, bodyOffset, blockLength, version).wrapUser(key);
                break;
            case PresenceDisconnectDecoder.TEMPLATE_ID:
                disconnect.wrap(buffer, bodyOffset, blockLength, version).wrapUser(key);
                break;
            case PresenceSetStatusDecoder.TEMPLATE_ID:
                setStatus.wrap(buffer, bodyOffset, blockLength, version).wrapUser(key);
                break;
            case NodeLostDecoder.TEMPLATE_ID:
            case PresenceWatchDecoder.TEMPLATE_ID:
            case PresenceUnwatchDecoder.TEMPLATE_ID:
            case PresenceQueryDecoder.TEMPLATE_ID:
                return broadcast(buffer, offset, length);
            default:
                return NOT_ROUTABLE;
        }

        return shards[selector.shardOf(key, 0, key.capacity())].offer(buffer, offset, length);
    }

    /**
     * Offer a timer tick to every shard; a full ring skips its tick, since the shard is busy and runs its timers
     * at the end of each batch anyway.
     *
     * @param nowNs {@link System#nanoTime()}.
     */
    public void tick(final long nowNs)
    {
        for (final ShardPipeline shard : shards)
        {
            shard.tick(nowNs);
        }
    }

    /**
     * Close every shard, draining what each has.
     */
    public void close()
    {
        for (final ShardPipeline shard : shards)
        {
            shard.close();
        }
    }

    private int broadcast(final DirectBuffer buffer, final int offset, final int length)
    {
        for (final ShardPipeline shard : shards)
        {
            if (!shard.hasCapacity())
            {
                return ShardPipeline.BACK_PRESSURED;
            }
        }

        int result = ShardPipeline.OFFERED;
        for (final ShardPipeline shard : shards)
        {
            final int shardResult = shard.offer(buffer, offset, length);
            if (ShardPipeline.OFFERED != shardResult)
            {
                result = shardResult;
            }
        }
        return result;
    }
}
