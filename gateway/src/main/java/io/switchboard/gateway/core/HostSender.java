package io.switchboard.gateway.core;

import io.switchboard.codecs.HistoryRequestEncoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.PresenceConnectEncoder;
import io.switchboard.codecs.PresenceDisconnectEncoder;
import io.switchboard.codecs.PresenceQueryEncoder;
import io.switchboard.codecs.PresenceSetStatusEncoder;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceUnwatchEncoder;
import io.switchboard.codecs.PresenceWatchEncoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.ReactEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.codecs.TransientEncoder;
import io.switchboard.codecs.UnsubscribeEncoder;
import io.switchboard.engine.OutboundSink;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the gateway's requests to channel and presence hosts with the SBE codecs (created once, reused) and
 * offers them through the node's {@link OutboundSink}. Lists of users are split into messages of at most
 * {@link #MAX_USERS_BYTES} of names so that every message fits the transport.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class HostSender
{
    /** Name bytes per presence message; well below the transport's largest message. */
    static final int MAX_USERS_BYTES = 48 * 1024;

    private final OutboundSink sink;
    private final int nodeId;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(128 * 1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SubscribeEncoder subscribe = new SubscribeEncoder();
    private final UnsubscribeEncoder unsubscribe = new UnsubscribeEncoder();
    private final PublishEncoder publish = new PublishEncoder();
    private final TransientEncoder transientEncoder = new TransientEncoder();
    private final ReactEncoder react = new ReactEncoder();
    private final HistoryRequestEncoder history = new HistoryRequestEncoder();
    private final PresenceConnectEncoder connect = new PresenceConnectEncoder();
    private final PresenceDisconnectEncoder disconnect = new PresenceDisconnectEncoder();
    private final PresenceSetStatusEncoder setStatus = new PresenceSetStatusEncoder();
    private final PresenceWatchEncoder watch = new PresenceWatchEncoder();
    private final PresenceUnwatchEncoder unwatch = new PresenceUnwatchEncoder();
    private final PresenceQueryEncoder query = new PresenceQueryEncoder();

    HostSender(final OutboundSink sink, final int nodeId)
    {
        this.sink = sink;
        this.nodeId = nodeId;
    }

    int subscribe(final int host, final long correlationId, final String channel)
    {
        subscribe.wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).correlationId(correlationId).channel(channel);
        return send(host, subscribe.encodedLength());
    }

    int unsubscribe(final int host, final long correlationId, final String channel)
    {
        unsubscribe.wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).correlationId(correlationId).channel(channel);
        return send(host, unsubscribe.encodedLength());
    }

    int publish(
        final int host,
        final long correlationId,
        final long timestampNs,
        final String channel,
        final String user,
        final String messageId,
        final byte[] payload)
    {
        publish.wrapAndApplyHeader(buffer, 0, header)
            .nodeId(nodeId)
            .correlationId(correlationId)
            .timestampNs(timestampNs)
            .channel(channel)
            .user(user)
            .messageId(messageId)
            .putPayload(payload, 0, payload.length);
        return send(host, publish.encodedLength());
    }

    int sendTransient(
        final int host,
        final long sessionId,
        final long timestampNs,
        final int ttlMs,
        final String channel,
        final String user,
        final String eventName,
        final byte[] payload)
    {
        transientEncoder.wrapAndApplyHeader(buffer, 0, header)
            .nodeId(nodeId)
            .sessionId(sessionId)
            .timestampNs(timestampNs)
            .ttlMs(ttlMs)
            .channel(channel)
            .user(user)
            .eventName(eventName)
            .putPayload(payload, 0, payload.length);
        return send(host, transientEncoder.encodedLength());
    }

    int react(
        final int host,
        final long timestampNs,
        final String channel,
        final String target,
        final String user,
        final String emoji)
    {
        react.wrapAndApplyHeader(buffer, 0, header)
            .nodeId(nodeId)
            .timestampNs(timestampNs)
            .channel(channel)
            .target(target)
            .user(user)
            .emoji(emoji);
        return send(host, react.encodedLength());
    }

    int history(
        final int host,
        final long correlationId,
        final long since,
        final long epoch,
        final int maxMessages,
        final String channel)
    {
        history.wrapAndApplyHeader(buffer, 0, header)
            .nodeId(nodeId)
            .correlationId(correlationId)
            .since(since)
            .epoch(epoch)
            .maxMessages(maxMessages)
            .channel(channel);
        return send(host, history.encodedLength());
    }

    int presenceConnect(final int host, final String user)
    {
        connect.wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).user(user);
        return send(host, connect.encodedLength());
    }

    int presenceDisconnect(final int host, final String user)
    {
        disconnect.wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).user(user);
        return send(host, disconnect.encodedLength());
    }

    int presenceSetStatus(final int host, final String user, final PresenceStatus status)
    {
        setStatus.wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).status(status).user(user);
        return send(host, setStatus.encodedLength());
    }

    int presenceWatch(final int host, final List<String> users)
    {
        int result = OutboundSink.SENT;
        for (int from = 0; from < users.size(); )
        {
            final int to = chunkEnd(users, from);
            final PresenceWatchEncoder.UsersEncoder group =
                watch.wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).usersCount(to - from);
            for (int i = from; i < to; i++)
            {
                group.next().user(users.get(i));
            }
            result = worst(result, send(host, watch.encodedLength()));
            from = to;
        }
        return result;
    }

    int presenceUnwatch(final int host, final List<String> users)
    {
        int result = OutboundSink.SENT;
        for (int from = 0; from < users.size(); )
        {
            final int to = chunkEnd(users, from);
            final PresenceUnwatchEncoder.UsersEncoder group =
                unwatch.wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).usersCount(to - from);
            for (int i = from; i < to; i++)
            {
                group.next().user(users.get(i));
            }
            result = worst(result, send(host, unwatch.encodedLength()));
            from = to;
        }
        return result;
    }

    int presenceQuery(final int host, final long correlationId, final List<String> users)
    {
        int result = OutboundSink.SENT;
        for (int from = 0; from < users.size(); )
        {
            final int to = chunkEnd(users, from);
            final PresenceQueryEncoder.UsersEncoder group = query.wrapAndApplyHeader(buffer, 0, header)
                .nodeId(nodeId).correlationId(correlationId).usersCount(to - from);
            for (int i = from; i < to; i++)
            {
                group.next().user(users.get(i));
            }
            result = worst(result, send(host, query.encodedLength()));
            from = to;
        }
        return result;
    }

    private static int chunkEnd(final List<String> users, final int from)
    {
        int bytes = 0;
        int i = from;
        while (i < users.size())
        {
            final int length = users.get(i).getBytes(StandardCharsets.UTF_8).length + 2;
            if (i > from && bytes + length > MAX_USERS_BYTES)
            {
                break;
            }
            bytes += length;
            i++;
        }
        return i;
    }

    private static int worst(final int a, final int b)
    {
        return a == OutboundSink.SENT ? b : a;
    }

    private int send(final int host, final int bodyLength)
    {
        return sink.send(host, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + bodyLength);
    }

    /**
     * @param sinkResult what a send returned other than {@link OutboundSink#SENT}.
     * @return it in words, for an error message or a log line.
     */
    static String describe(final int sinkResult)
    {
        return switch (sinkResult)
        {
            case OutboundSink.BACK_PRESSURED -> "back-pressured";
            case OutboundSink.TOO_LARGE -> "too large";
            case OutboundSink.NOT_CONNECTED -> "not connected";
            default -> "result " + sinkResult;
        };
    }
}
