package io.switchboard.engine.presence;

import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.NodeLostEncoder;
import io.switchboard.codecs.PresenceConnectEncoder;
import io.switchboard.codecs.PresenceDisconnectEncoder;
import io.switchboard.codecs.PresenceQueryEncoder;
import io.switchboard.codecs.PresenceSetStatusEncoder;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceUnwatchEncoder;
import io.switchboard.codecs.PresenceWatchEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.engine.ShardHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Builds inbound presence messages with the generated encoders: {@code messages.connect(1, "alice").to(shard)}.
 * The buffer starts at an odd offset so that nothing relies on alignment or on offset 0.
 */
final class PresenceMessages
{
    private static final int OFFSET = 3;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024 * 1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PresenceConnectEncoder connect = new PresenceConnectEncoder();
    private final PresenceDisconnectEncoder disconnect = new PresenceDisconnectEncoder();
    private final PresenceSetStatusEncoder setStatus = new PresenceSetStatusEncoder();
    private final PresenceWatchEncoder watch = new PresenceWatchEncoder();
    private final PresenceUnwatchEncoder unwatch = new PresenceUnwatchEncoder();
    private final PresenceQueryEncoder query = new PresenceQueryEncoder();
    private final NodeLostEncoder nodeLost = new NodeLostEncoder();
    private final SubscribeEncoder subscribe = new SubscribeEncoder();
    private int length;

    PresenceMessages connect(final int nodeId, final String user)
    {
        connect.wrapAndApplyHeader(buffer, OFFSET, header).nodeId(nodeId).user(user);
        length = MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength();
        return this;
    }

    PresenceMessages disconnect(final int nodeId, final String user)
    {
        disconnect.wrapAndApplyHeader(buffer, OFFSET, header).nodeId(nodeId).user(user);
        length = MessageHeaderEncoder.ENCODED_LENGTH + disconnect.encodedLength();
        return this;
    }

    PresenceMessages setStatus(final int nodeId, final String user, final PresenceStatus status)
    {
        setStatus.wrapAndApplyHeader(buffer, OFFSET, header).nodeId(nodeId).status(status).user(user);
        length = MessageHeaderEncoder.ENCODED_LENGTH + setStatus.encodedLength();
        return this;
    }

    PresenceMessages watch(final int nodeId, final List<String> users)
    {
        final PresenceWatchEncoder.UsersEncoder group =
            watch.wrapAndApplyHeader(buffer, OFFSET, header).nodeId(nodeId).usersCount(users.size());
        users.forEach((user) -> group.next().user(user));
        length = MessageHeaderEncoder.ENCODED_LENGTH + watch.encodedLength();
        return this;
    }

    PresenceMessages unwatch(final int nodeId, final List<String> users)
    {
        final PresenceUnwatchEncoder.UsersEncoder group =
            unwatch.wrapAndApplyHeader(buffer, OFFSET, header).nodeId(nodeId).usersCount(users.size());
        users.forEach((user) -> group.next().user(user));
        length = MessageHeaderEncoder.ENCODED_LENGTH + unwatch.encodedLength();
        return this;
    }

    PresenceMessages query(final int nodeId, final long correlationId, final List<String> users)
    {
        final PresenceQueryEncoder.UsersEncoder group = query.wrapAndApplyHeader(buffer, OFFSET, header)
            .nodeId(nodeId).correlationId(correlationId).usersCount(users.size());
        users.forEach((user) -> group.next().user(user));
        length = MessageHeaderEncoder.ENCODED_LENGTH + query.encodedLength();
        return this;
    }

    PresenceMessages nodeLost(final int nodeId)
    {
        nodeLost.wrapAndApplyHeader(buffer, OFFSET, header).nodeId(nodeId).timestampNs(System.currentTimeMillis());
        length = MessageHeaderEncoder.ENCODED_LENGTH + nodeLost.encodedLength();
        return this;
    }

    PresenceMessages subscribe(final int nodeId, final String channel)
    {
        subscribe.wrapAndApplyHeader(buffer, OFFSET, header).nodeId(nodeId).correlationId(1).channel(channel);
        length = MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength();
        return this;
    }

    void to(final ShardHandler... shards)
    {
        for (final ShardHandler shard : shards)
        {
            shard.onMessage(buffer, OFFSET, length);
        }
    }
}
