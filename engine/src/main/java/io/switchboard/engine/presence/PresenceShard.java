package io.switchboard.engine.presence;

import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.NodeLostDecoder;
import io.switchboard.codecs.PresenceConnectDecoder;
import io.switchboard.codecs.PresenceDisconnectDecoder;
import io.switchboard.codecs.PresenceQueryDecoder;
import io.switchboard.codecs.PresenceSetStatusDecoder;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceUnwatchDecoder;
import io.switchboard.codecs.PresenceWatchDecoder;
import io.switchboard.engine.ShardHandler;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Who is online, for the users one shard owns, and who must be told when that changes.
 * <p>
 * <b>Status.</b> A user is online while it has a connection on any gateway. Its effective status is OFFLINE without
 * connections, otherwise the status it chose (ONLINE by default, or AWAY). A chosen status does not survive a full
 * disconnect: when the last connection goes, the choice resets to ONLINE, so the shard keeps no state for users
 * nobody sees, and a status set while the user has no connection is ignored. A client that wants its AWAY to stick
 * sets it again on connect.
 * <p>
 * <b>Watches.</b> Gateways watch users, refcounted per (gateway, user). A change of effective status is sent only
 * to the gateways watching that user, as one PresenceUpdate (correlation id 0) encoded once and sent to each. When a
 * watch message makes a gateway start watching users, the gateway gets their current status, OFFLINE included, in
 * one PresenceUpdate (split only if it would exceed the maximum message size), so it has the full picture.
 * <p>
 * <b>Queries and ownership.</b> Watch, unwatch and query messages list many users and reach every shard of a host;
 * each shard handles only the users its {@link UserOwnership} accepts. A query is answered by the shards that own
 * at least one of its users, each with PresenceUpdates carrying the query's correlation id and the status of each
 * of its users (OFFLINE for users it knows nothing about); a shard owning none of them sends nothing. So every
 * named user is answered exactly once per time it is named, and the gateway completes a query once every user it
 * asked about has an answer; it needs to know nothing about shards. A query naming more users than allowed is
 * answered with one ErrorResponse TOO_LARGE, sent by the shard owning the first user listed.
 * <p>
 * <b>Node loss.</b> NodeLost removes all connections and watches of that node at once; the users left without a
 * connection go OFFLINE and every watching gateway gets those changes in as few PresenceUpdates as fit.
 * <p>
 * Messages naming one user (connect, disconnect, set status) are trusted to be routed to the owning shard.
 * A user with no connection, no watcher and the default status is removed. Nothing is allocated per message for
 * known users and gateways; new users reuse pooled objects.
 * <p>
 * Not thread-safe: every method, the counters included, is for the shard thread (or a test).
 */
public final class PresenceShard implements ShardHandler
{
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PresenceConnectDecoder connectDecoder = new PresenceConnectDecoder();
    private final PresenceDisconnectDecoder disconnectDecoder = new PresenceDisconnectDecoder();
    private final PresenceSetStatusDecoder setStatusDecoder = new PresenceSetStatusDecoder();
    private final PresenceWatchDecoder watchDecoder = new PresenceWatchDecoder();
    private final PresenceUnwatchDecoder unwatchDecoder = new PresenceUnwatchDecoder();
    private final PresenceQueryDecoder queryDecoder = new PresenceQueryDecoder();
    private final NodeLostDecoder nodeLostDecoder = new NodeLostDecoder();
    private final UnsafeBuffer user = new UnsafeBuffer(0, 0);

    private final UserTable users;
    private final Int2ObjectHashMap<NodeUsers> nodes = new Int2ObjectHashMap<>();
    private final PresenceSender sender;
    private final NodeLossNotifier nodeLossNotifier;
    private final UserOwnership ownership;
    private final int maxQueryUsers;
    private final byte[] queryTooLargeMessage;

    private long ignoredDisconnects;
    private long ignoredStatusChanges;
    private long ignoredUnwatches;
    private long rejectedQueries;
    private long unknownMessages;

    /**
     * @param context settings; concluded here.
     */
    public PresenceShard(final PresenceShardContext context)
    {
        context.conclude();
        users = new UserTable(context.keyHasher(), context.initialUserCapacity(), context.userPoolSize());
        sender = new PresenceSender(context.outboundSink(), context.maxMessageSize());
        nodeLossNotifier = new NodeLossNotifier(sender);
        ownership = context.userOwnership();
        maxQueryUsers = context.maxQueryUsers();
        queryTooLargeMessage = ("a presence query names at most " + maxQueryUsers + " users")
            .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        headerDecoder.wrap(buffer, offset);
        if (PresenceConnectDecoder.SCHEMA_ID != headerDecoder.schemaId())
        {
            unknownMessages++;
            return;
        }

        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case PresenceConnectDecoder.TEMPLATE_ID:
                connectDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onConnect(connectDecoder.nodeId());
                break;

            case PresenceDisconnectDecoder.TEMPLATE_ID:
                disconnectDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onDisconnect(disconnectDecoder.nodeId());
                break;

            case PresenceSetStatusDecoder.TEMPLATE_ID:
                setStatusDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onSetStatus();
                break;

            case PresenceWatchDecoder.TEMPLATE_ID:
                watchDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onWatch(watchDecoder.nodeId(), watchDecoder.users());
                break;

            case PresenceUnwatchDecoder.TEMPLATE_ID:
                unwatchDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onUnwatch(unwatchDecoder.nodeId(), unwatchDecoder.users());
                break;

            case PresenceQueryDecoder.TEMPLATE_ID:
                queryDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onQuery(queryDecoder.nodeId(), queryDecoder.correlationId(), queryDecoder.users());
                break;

            case NodeLostDecoder.TEMPLATE_ID:
                nodeLostDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onNodeLost(nodeLostDecoder.nodeId());
                break;

            default:
                unknownMessages++;
        }
    }

    /**
     * @return PresenceUpdate messages handed to the sink.
     */
    public long updatesSent()
    {
        return sender.updatesSent();
    }

    /**
     * @return ErrorResponse messages handed to the sink.
     */
    public long errorsSent()
    {
        return sender.errorsSent();
    }

    /**
     * @return messages the sink refused (not connected, back-pressured, too large).
     */
    public long sendFailures()
    {
        return sender.sendFailures();
    }

    /**
     * @return disconnects for a (user, gateway) with no connection.
     */
    public long ignoredDisconnects()
    {
        return ignoredDisconnects;
    }

    /**
     * @return status changes ignored: OFFLINE or unknown status asked for, or the user has no connection.
     */
    public long ignoredStatusChanges()
    {
        return ignoredStatusChanges;
    }

    /**
     * @return unwatches of a user the gateway did not watch.
     */
    public long ignoredUnwatches()
    {
        return ignoredUnwatches;
    }

    /**
     * @return queries answered with an error by this shard.
     */
    public long rejectedQueries()
    {
        return rejectedQueries;
    }

    /**
     * @return messages of another schema or a template this shard does not handle.
     */
    public long unknownMessages()
    {
        return unknownMessages;
    }

    /**
     * @return users this shard holds state for.
     */
    public int usersTracked()
    {
        return users.size();
    }

    private void onConnect(final int nodeId)
    {
        connectDecoder.wrapUser(user);
        final UserPresence presence = users.findOrCreate(user, 0, user.capacity());
        final PresenceStatus before = presence.effectiveStatus();

        final int count = presence.connectionsByNode.get(nodeId);
        if (0 == count)
        {
            nodeUsers(nodeId).connected.add(presence);
        }
        presence.connectionsByNode.put(nodeId, count + 1);
        presence.connectionCount++;

        publishIfChanged(presence, before);
    }

    private void onDisconnect(final int nodeId)
    {
        disconnectDecoder.wrapUser(user);
        final UserPresence presence = users.find(user, 0, user.capacity());
        final int count = null == presence ? 0 : presence.connectionsByNode.get(nodeId);
        if (0 == count)
        {
            ignoredDisconnects++;
            return;
        }

        final PresenceStatus before = presence.effectiveStatus();
        if (1 == count)
        {
            presence.connectionsByNode.remove(nodeId);
            nodes.get(nodeId).connected.remove(presence);
        }
        else
        {
            presence.connectionsByNode.put(nodeId, count - 1);
        }

        if (0 == --presence.connectionCount)
        {
            presence.chosenStatus = PresenceStatus.ONLINE;
        }

        publishIfChanged(presence, before);
        removeIfIdle(presence);
    }

    private void onSetStatus()
    {
        final PresenceStatus status = setStatusDecoder.status();
        setStatusDecoder.wrapUser(user);
        final UserPresence presence = users.find(user, 0, user.capacity());
        if ((PresenceStatus.ONLINE != status && PresenceStatus.AWAY != status) ||
            null == presence || 0 == presence.connectionCount)
        {
            ignoredStatusChanges++;
            return;
        }

        final PresenceStatus before = presence.effectiveStatus();
        presence.chosenStatus = status;
        publishIfChanged(presence, before);
    }

    private void onWatch(final int nodeId, final PresenceWatchDecoder.UsersDecoder watched)
    {
        sender.begin(nodeId, 0);
        while (watched.hasNext())
        {
            watched.next().wrapUser(user);
            if (ownership.owns(user, 0, user.capacity()))
            {
                final UserPresence presence = users.findOrCreate(user, 0, user.capacity());
                final int count = presence.watchesByNode.get(nodeId);
                presence.watchesByNode.put(nodeId, count + 1);
                if (0 == count)
                {
                    nodeUsers(nodeId).watched.add(presence);
                    sender.add(presence.effectiveStatus(), user, 0, user.capacity());
                }
            }
        }
        sender.end();
    }

    private void onUnwatch(final int nodeId, final PresenceUnwatchDecoder.UsersDecoder unwatched)
    {
        while (unwatched.hasNext())
        {
            unwatched.next().wrapUser(user);
            if (ownership.owns(user, 0, user.capacity()))
            {
                final UserPresence presence = users.find(user, 0, user.capacity());
                final int count = null == presence ? 0 : presence.watchesByNode.get(nodeId);
                if (0 == count)
                {
                    ignoredUnwatches++;
                }
                else if (1 == count)
                {
                    presence.watchesByNode.remove(nodeId);
                    nodes.get(nodeId).watched.remove(presence);
                    removeIfIdle(presence);
                }
                else
                {
                    presence.watchesByNode.put(nodeId, count - 1);
                }
            }
        }
    }

    private void onQuery(final int nodeId, final long correlationId, final PresenceQueryDecoder.UsersDecoder queried)
    {
        if (queried.count() > maxQueryUsers)
        {
            queried.next().wrapUser(user);
            if (ownership.owns(user, 0, user.capacity()))
            {
                rejectedQueries++;
                sender.sendError(nodeId, correlationId, ErrorCode.TOO_LARGE, queryTooLargeMessage);
            }
            return;
        }

        sender.begin(nodeId, correlationId);
        while (queried.hasNext())
        {
            queried.next().wrapUser(user);
            if (ownership.owns(user, 0, user.capacity()))
            {
                final UserPresence presence = users.find(user, 0, user.capacity());
                final PresenceStatus status = null == presence ? PresenceStatus.OFFLINE : presence.effectiveStatus();
                sender.add(status, user, 0, user.capacity());
            }
        }
        sender.end();
    }

    private void onNodeLost(final int nodeId)
    {
        final NodeUsers lost = nodes.remove(nodeId);
        if (null == lost)
        {
            return;
        }

        // Watches first, so the lost node is never among those told about the users going offline below.
        for (final UserPresence presence : lost.watched)
        {
            presence.watchesByNode.remove(nodeId);
            // A user that is idle now has no connection, so it is not in lost.connected either.
            removeIfIdle(presence);
        }

        for (final UserPresence presence : lost.connected)
        {
            presence.connectionCount -= presence.connectionsByNode.remove(nodeId);
            if (0 == presence.connectionCount)
            {
                presence.chosenStatus = PresenceStatus.ONLINE;
                if (presence.watchesByNode.isEmpty())
                {
                    users.remove(presence);
                }
                else
                {
                    nodeLossNotifier.wentOffline(presence);
                }
            }
        }

        nodeLossNotifier.notifyWatchers();
    }

    private void publishIfChanged(final UserPresence presence, final PresenceStatus before)
    {
        final PresenceStatus after = presence.effectiveStatus();
        if (after != before && !presence.watchesByNode.isEmpty())
        {
            sender.encodeSingleUpdate(after, presence.name.buffer(), 0, presence.name.length());
            final Int2IntHashMap.KeyIterator watchers = presence.watchesByNode.keySet().iterator();
            while (watchers.hasNext())
            {
                sender.sendEncoded(watchers.nextValue());
            }
        }
    }

    private void removeIfIdle(final UserPresence presence)
    {
        if (presence.isIdle())
        {
            users.remove(presence);
        }
    }

    private NodeUsers nodeUsers(final int nodeId)
    {
        NodeUsers nodeUsers = nodes.get(nodeId);
        if (null == nodeUsers)
        {
            nodeUsers = new NodeUsers();
            nodes.put(nodeId, nodeUsers);
        }

        return nodeUsers;
    }
}
