package io.switchboard.engine.channel;

import io.switchboard.codecs.HistoryRequestEncoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.NodeLostEncoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.ReactEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.codecs.TransientEncoder;
import io.switchboard.codecs.UnsubscribeEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds inbound messages with the generated encoders and feeds them to a {@link ChannelShard}, as a transport would.
 */
final class ShardDriver
{
    final RecordingSink sink;
    final ChannelShard shard;

    /**
     * Messages start past the buffer's beginning, as they do in a transport's receive buffer.
     */
    private static final int OFFSET = 24;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128 * 1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private int lastLength;

    ShardDriver(final ChannelShardContext ctx)
    {
        this.sink = ctx.outboundSink() instanceof RecordingSink recording ? recording : new RecordingSink();
        this.shard = new ChannelShard(ctx.outboundSink(sink));
    }

    static ChannelShardContext context()
    {
        return new ChannelShardContext().historyBytes(1 << 20);
    }

    void subscribe(final int nodeId, final long correlationId, final String channel)
    {
        final SubscribeEncoder encoder = new SubscribeEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId)
            .correlationId(correlationId)
            .channel(channel);
        deliver(encoder.encodedLength());
    }

    void unsubscribe(final int nodeId, final String channel)
    {
        final UnsubscribeEncoder encoder = new UnsubscribeEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId)
            .correlationId(0)
            .channel(channel);
        deliver(encoder.encodedLength());
    }

    void publish(final int nodeId, final long correlationId, final String channel, final byte[] payload)
    {
        publish(nodeId, correlationId, correlationId * 1000, channel, "u" + nodeId, "m" + correlationId, payload);
    }

    void publish(
        final int nodeId,
        final long correlationId,
        final long timestampNs,
        final String channel,
        final String user,
        final String messageId,
        final byte[] payload)
    {
        final PublishEncoder encoder = new PublishEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId)
            .correlationId(correlationId)
            .timestampNs(timestampNs)
            .channel(channel)
            .user(user)
            .messageId(messageId)
            .putPayload(payload, 0, payload.length);
        deliver(encoder.encodedLength());
    }

    void transientEvent(
        final int nodeId, final long sessionId, final long timestampNs, final int ttlMs, final String channel,
        final String user, final String eventName, final byte[] payload)
    {
        final TransientEncoder encoder = new TransientEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId)
            .sessionId(sessionId)
            .timestampNs(timestampNs)
            .ttlMs(ttlMs)
            .channel(channel)
            .user(user)
            .eventName(eventName)
            .putPayload(payload, 0, payload.length);
        deliver(encoder.encodedLength());
    }

    void history(
        final int nodeId, final long correlationId, final String channel, final long since, final long epoch,
        final int maxMessages)
    {
        final HistoryRequestEncoder encoder = new HistoryRequestEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId)
            .correlationId(correlationId)
            .since(since)
            .epoch(epoch)
            .maxMessages(maxMessages)
            .channel(channel);
        deliver(encoder.encodedLength());
    }

    void react(final int nodeId, final String channel)
    {
        final ReactEncoder encoder = new ReactEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId)
            .timestampNs(1)
            .channel(channel)
            .target("t")
            .user("u")
            .emoji("+1");
        deliver(encoder.encodedLength());
    }

    void nodeLost(final int nodeId)
    {
        final NodeLostEncoder encoder = new NodeLostEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId)
            .timestampNs(1);
        deliver(encoder.encodedLength());
    }

    /**
     * @return a copy of the last message fed to the shard, header included.
     */
    byte[] lastMessage()
    {
        final byte[] copy = new byte[lastLength];
        buffer.getBytes(OFFSET, copy);
        return copy;
    }

    static byte[] bytes(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private void deliver(final int bodyLength)
    {
        lastLength = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        shard.onMessage(buffer, OFFSET, lastLength);
    }
}
