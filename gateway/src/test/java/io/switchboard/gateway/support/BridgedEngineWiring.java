package io.switchboard.gateway.support;

import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.ReactDecoder;
import io.switchboard.codecs.SubscribeDecoder;
import io.switchboard.codecs.TransientDecoder;
import io.switchboard.codecs.TransientEventEncoder;
import io.switchboard.codecs.UnsubscribeDecoder;
import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.ShardHandler;
import io.switchboard.engine.channel.ChannelShard;
import io.switchboard.engine.partition.Partitioner;
import io.switchboard.engine.partition.ShardMap;
import io.switchboard.engine.reaction.ReactionBatcher;
import io.switchboard.transport.EngineWiring;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.PeerDirectory;
import io.switchboard.transport.ShardHost;
import io.switchboard.transport.SwitchboardNode;
import io.switchboard.engine.shard.ShardContext;
import io.switchboard.engine.shard.ShardSelector;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The engine's shards with the two channel-host behaviours the gateway relies on that are still being wired into
 * the channel shard: transients fanned out as TransientEvent (template 26), and reactions batched per (channel,
 * target) into ReactionBatch messages sent to subscribed gateways. Test-only; once the channel shard does both, the
 * tests can use {@link EngineWiring} directly.
 */
public final class BridgedEngineWiring implements SwitchboardNode.RoleWiring
{
    private final EngineWiring engine = new EngineWiring();

    /**
     * {@inheritDoc}
     */
    public ShardHost channelHost(final NodeContext context, final PeerDirectory sink, final ErrorHandler errorHandler)
    {
        final Partitioner partitioner = new Partitioner(context.partitions());
        final ShardMap shardMap = new ShardMap(context.channelShards());
        final ShardSelector selector =
            (name, offset, length) -> shardMap.shardOf(partitioner.partitionOf(name, offset, length));
        return new ShardHost("channel", context.channelShards(),
            shard -> new ReactingChannelShard(sink),
            selector, ShardContext::new, errorHandler);
    }

    /**
     * {@inheritDoc}
     */
    public ShardHost presenceHost(final NodeContext context, final PeerDirectory sink, final ErrorHandler errorHandler)
    {
        return engine.presenceHost(context, sink, errorHandler);
    }

    /**
     * Re-encodes forwarded Transient messages as TransientEvent; everything else passes through.
     */
    static final class TransientEventSink implements OutboundSink
    {
        private final OutboundSink delegate;
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final TransientDecoder transientDecoder = new TransientDecoder();
        private final TransientEventEncoder eventEncoder = new TransientEventEncoder();
        private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(128 * 1024));
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

        TransientEventSink(final OutboundSink delegate)
        {
            this.delegate = delegate;
        }

        public int send(final int nodeId, final DirectBuffer source, final int offset, final int length)
        {
            header.wrap(source, offset);
            if (TransientDecoder.TEMPLATE_ID != header.templateId())
            {
                return delegate.send(nodeId, source, offset, length);
            }
            transientDecoder.wrapAndApplyHeader(source, offset, header);
            eventEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .nodeId(transientDecoder.nodeId())
                .sessionId(transientDecoder.sessionId())
                .timestampNs(transientDecoder.timestampNs())
                .ttlMs(transientDecoder.ttlMs());
            transientDecoder.wrapChannel(view);
            eventEncoder.putChannel(view, 0, view.capacity());
            transientDecoder.wrapUser(view);
            eventEncoder.putUser(view, 0, view.capacity());
            transientDecoder.wrapEventName(view);
            eventEncoder.putEventName(view, 0, view.capacity());
            transientDecoder.wrapPayload(view);
            eventEncoder.putPayload(view, 0, view.capacity());
            return delegate.send(nodeId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + eventEncoder.encodedLength());
        }
    }

    /**
     * A channel shard whose reactions go through a {@link ReactionBatcher} to the gateways subscribed to the channel.
     */
    static final class ReactingChannelShard implements ShardHandler
    {
        private final OutboundSink sink;
        private final ChannelShard shard;
        private final ReactionBatcher batcher = new ReactionBatcher();
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final ReactDecoder react = new ReactDecoder();
        private final SubscribeDecoder subscribe = new SubscribeDecoder();
        private final UnsubscribeDecoder unsubscribe = new UnsubscribeDecoder();
        private final Map<String, Set<Integer>> subscribers = new HashMap<>();
        private final UnsafeBuffer channel = new UnsafeBuffer(0, 0);
        private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
        private final UnsafeBuffer emoji = new UnsafeBuffer(0, 0);

        ReactingChannelShard(final OutboundSink sink)
        {
            this.sink = sink;
            this.shard = new ChannelShard(new ChannelShard.Context().outboundSink(new TransientEventSink(sink)));
        }

        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            header.wrap(buffer, offset);
            switch (header.templateId())
            {
                case ReactDecoder.TEMPLATE_ID ->
                {
                    react.wrapAndApplyHeader(buffer, offset, header);
                    react.wrapChannel(channel);
                    react.wrapTarget(target);
                    react.skipUser();
                    react.wrapEmoji(emoji);
                    batcher.add(channel, 0, channel.capacity(), target, 0, target.capacity(), emoji, 0,
                        emoji.capacity(), System.nanoTime());
                    return;
                }
                case SubscribeDecoder.TEMPLATE_ID ->
                {
                    subscribe.wrapAndApplyHeader(buffer, offset, header);
                    final int nodeId = subscribe.nodeId();
                    subscribe.correlationId();
                    subscribers.computeIfAbsent(subscribe.channel(), c -> new HashSet<>()).add(nodeId);
                }
                case UnsubscribeDecoder.TEMPLATE_ID ->
                {
                    unsubscribe.wrapAndApplyHeader(buffer, offset, header);
                    final int nodeId = unsubscribe.nodeId();
                    final Set<Integer> nodes = subscribers.get(unsubscribe.channel());
                    if (null != nodes)
                    {
                        nodes.remove(nodeId);
                    }
                }
                default ->
                {
                }
            }
            shard.onMessage(buffer, offset, length);
        }

        public int onTimer(final long nowNs)
        {
            return shard.onTimer(nowNs) + batcher.flushDue(nowNs,
                (name, nameOffset, nameLength, message, messageOffset, messageLength) ->
                {
                    final Set<Integer> nodes = subscribers.get(name.getStringWithoutLengthUtf8(nameOffset, nameLength));
                    if (null != nodes)
                    {
                        for (final int nodeId : nodes)
                        {
                            sink.send(nodeId, message, messageOffset, messageLength);
                        }
                    }
                });
        }

        public void onStart()
        {
            shard.onStart();
        }

        public void onShutdown()
        {
            shard.onShutdown();
        }
    }
}
