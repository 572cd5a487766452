package io.switchboard.gateway.core;

import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceUpdateDecoder;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence as one gateway handles it: registers each session's connection with its user's presence host, keeps the
 * union of what its sessions can see (refcounted, so the presence host hears one watch per user per gateway), knows
 * the last status of every watched user so a session that starts watching an already watched user is answered at
 * once, forwards each change only to the sessions whose viewport holds the user, and completes queries that span
 * several presence hosts once every asked user has an answer.
 * <p>
 * When a presence host comes back (or restarted), the connections and watches it owns are registered again. When
 * placement changes, the connections and watches of users whose owner changed move: registered with the new owner,
 * withdrawn from the old one if it still answers.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class PresenceTracker
{
    private final HostLinks links;
    private final HostSender sender;
    private final PendingRequests pending;
    private final ClientFrames frames;
    private final Errors errors;
    private final long timeoutNs;
    private final Object2IntHashMap<String> watchCount = new Object2IntHashMap<>(0);
    private final Object2IntHashMap<String> connectionCount = new Object2IntHashMap<>(0);
    private final Map<String, String> knownStatus = new HashMap<>();
    private final Map<String, List<GatewaySession>> watchers = new HashMap<>();
    private final Long2ObjectHashMap<Query> queries = new Long2ObjectHashMap<>();

    PresenceTracker(
        final HostLinks links,
        final HostSender sender,
        final PendingRequests pending,
        final ClientFrames frames,
        final Errors errors,
        final long timeoutNs)
    {
        this.links = links;
        this.sender = sender;
        this.pending = pending;
        this.frames = frames;
        this.errors = errors;
        this.timeoutNs = timeoutNs;
    }

    int watchedUsers()
    {
        return watchCount.size();
    }

    void connect(final GatewaySession session)
    {
        final String user = session.user();
        connectionCount.put(user, connectionCount.getValue(user) + 1);
        final int host = links.presenceHostOf(user);
        if (links.isAvailable(host))
        {
            sender.presenceConnect(host, user);
        }
    }

    void disconnect(final GatewaySession session)
    {
        final String user = session.user();
        final int count = connectionCount.getValue(user);
        if (count <= 1)
        {
            connectionCount.removeKey(user);
        }
        else
        {
            connectionCount.put(user, count - 1);
        }
        final int host = links.presenceHostOf(user);
        if (links.isAvailable(host))
        {
            sender.presenceDisconnect(host, user);
        }
        watch(session, List.of());
    }

    void setStatus(final GatewaySession session, final PresenceStatus status)
    {
        final int host = links.presenceHostOf(session.user());
        if (!links.isAvailable(host))
        {
            errors.send(session, "unavailable", "the presence host is unavailable", null, null);
            return;
        }
        sender.presenceSetStatus(host, session.user(), status);
    }

    /**
     * Replace a session's viewport.
     *
     * @param session the session.
     * @param users   everything it can see now.
     */
    void watch(final GatewaySession session, final Collection<String> users)
    {
        final Set<String> next = new LinkedHashSet<>(users);
        final Set<String> previous = session.viewport;
        final Map<Integer, List<String>> toWatch = new HashMap<>();
        final Map<Integer, List<String>> toUnwatch = new HashMap<>();
        final List<UserStatus> known = new ArrayList<>();

        for (final String user : previous)
        {
            if (next.contains(user))
            {
                continue;
            }
            final List<GatewaySession> sessions = watchers.get(user);
            if (null != sessions)
            {
                sessions.remove(session);
                if (sessions.isEmpty())
                {
                    watchers.remove(user);
                }
            }
            final int count = watchCount.getValue(user) - 1;
            if (count <= 0)
            {
                watchCount.removeKey(user);
                knownStatus.remove(user);
                toUnwatch.computeIfAbsent(links.presenceHostOf(user), h -> new ArrayList<>()).add(user);
            }
            else
            {
                watchCount.put(user, count);
            }
        }

        for (final String user : next)
        {
            if (previous.contains(user))
            {
                continue;
            }
            watchers.computeIfAbsent(user, u -> new ArrayList<>(2)).add(session);
            final int count = watchCount.getValue(user);
            watchCount.put(user, count + 1);
            if (0 == count)
            {
                toWatch.computeIfAbsent(links.presenceHostOf(user), h -> new ArrayList<>()).add(user);
            }
            else
            {
                final String status = knownStatus.get(user);
                if (null != status)
                {
                    known.add(new UserStatus(user, status));
                }
            }
        }
        session.viewport = next;

        for (final Map.Entry<Integer, List<String>> entry : toUnwatch.entrySet())
        {
            if (links.isAvailable(entry.getKey()))
            {
                sender.presenceUnwatch(entry.getKey(), entry.getValue());
            }
        }
        for (final Map.Entry<Integer, List<String>> entry : toWatch.entrySet())
        {
            if (links.isAvailable(entry.getKey()))
            {
                sender.presenceWatch(entry.getKey(), entry.getValue());
            }
        }
        if (!known.isEmpty() && !session.closed)
        {
            session.send(frames.presence(known));
        }
    }

    void query(final Collection<String> users, final RequestOrigin origin)
    {
        final Set<String> unique = new LinkedHashSet<>(users);
        final Map<Integer, List<String>> byHost = new HashMap<>();
        for (final String user : unique)
        {
            final int host = links.presenceHostOf(user);
            if (!links.isAvailable(host))
            {
                origin.onError(frames, "unavailable", "the presence host of " + user + " is unavailable", null);
                return;
            }
            byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(user);
        }
        if (unique.isEmpty())
        {
            origin.onPresence(frames, List.of());
            return;
        }

        final Query query = new Query(pending.nextCorrelationId(), unique, origin, System.nanoTime() + timeoutNs,
            byHost.keySet());
        queries.put(query.correlationId, query);
        for (final Map.Entry<Integer, List<String>> entry : byHost.entrySet())
        {
            if (0 != sender.presenceQuery(entry.getKey(), query.correlationId, entry.getValue()))
            {
                queries.remove(query.correlationId);
                origin.onError(frames, "unavailable", "the presence host did not take the query", null);
                return;
            }
        }
    }

    void onPresenceUpdate(final PresenceUpdateDecoder decoder)
    {
        final long correlationId = decoder.correlationId();
        if (0 != correlationId)
        {
            onQueryAnswer(correlationId, decoder);
            return;
        }

        final Map<GatewaySession, List<UserStatus>> bySession = new IdentityHashMap<>();
        for (final PresenceUpdateDecoder.UpdatesDecoder update : decoder.updates())
        {
            final String status = statusName(update.status());
            final String user = update.user();
            if (!watchCount.containsKey(user))
            {
                continue;
            }
            knownStatus.put(user, status);
            final List<GatewaySession> sessions = watchers.get(user);
            if (null == sessions)
            {
                continue;
            }
            for (final GatewaySession session : sessions)
            {
                bySession.computeIfAbsent(session, s -> new ArrayList<>()).add(new UserStatus(user, status));
            }
        }
        for (final Map.Entry<GatewaySession, List<UserStatus>> entry : bySession.entrySet())
        {
            if (!entry.getKey().closed)
            {
                entry.getKey().send(frames.presence(entry.getValue()));
            }
        }
    }

    boolean onQueryError(final long correlationId, final String code, final String message)
    {
        final Query query = queries.remove(correlationId);
        if (null == query)
        {
            return false;
        }
        query.origin.onError(frames, code, message, null);
        return true;
    }

    void expire(final long nowNs)
    {
        if (queries.isEmpty())
        {
            return;
        }
        final Iterator<Query> it = queries.values().iterator();
        final List<Query> expired = new ArrayList<>();
        while (it.hasNext())
        {
            final Query query = it.next();
            if (nowNs - query.deadlineNs >= 0)
            {
                expired.add(query);
            }
        }
        for (final Query query : expired)
        {
            queries.remove(query.correlationId);
            query.origin.onError(frames, "unavailable", "no presence answer in time", null);
        }
    }

    void onHostUp(final int host)
    {
        for (final Map.Entry<String, Integer> entry : connectionCount.entrySet())
        {
            if (links.presenceHostOf(entry.getKey()) == host)
            {
                for (int i = 0, n = entry.getValue(); i < n; i++)
                {
                    sender.presenceConnect(host, entry.getKey());
                }
            }
        }
        final List<String> watched = new ArrayList<>();
        for (final String user : watchCount.keySet())
        {
            if (links.presenceHostOf(user) == host)
            {
                watched.add(user);
            }
        }
        if (!watched.isEmpty())
        {
            sender.presenceWatch(host, watched);
        }
    }

    /**
     * The presence hosts changed: move the users whose owner changed.
     *
     * @return users moved.
     */
    int onPlacementChanged()
    {
        int moved = 0;
        for (final Map.Entry<String, Integer> entry : connectionCount.entrySet())
        {
            final String user = entry.getKey();
            final int from = links.previousPresenceHostOf(user);
            final int to = links.presenceHostOf(user);
            if (from == to)
            {
                continue;
            }
            moved++;
            for (int i = 0, n = entry.getValue(); i < n; i++)
            {
                if (links.isAvailable(from))
                {
                    sender.presenceDisconnect(from, user);
                }
                if (links.isAvailable(to))
                {
                    sender.presenceConnect(to, user);
                }
            }
        }
        final Map<Integer, List<String>> toUnwatch = new HashMap<>();
        final Map<Integer, List<String>> toWatch = new HashMap<>();
        for (final String user : watchCount.keySet())
        {
            final int from = links.previousPresenceHostOf(user);
            final int to = links.presenceHostOf(user);
            if (from != to)
            {
                toUnwatch.computeIfAbsent(from, h -> new ArrayList<>()).add(user);
                toWatch.computeIfAbsent(to, h -> new ArrayList<>()).add(user);
            }
        }
        for (final Map.Entry<Integer, List<String>> entry : toUnwatch.entrySet())
        {
            if (links.isAvailable(entry.getKey()))
            {
                sender.presenceUnwatch(entry.getKey(), entry.getValue());
            }
        }
        for (final Map.Entry<Integer, List<String>> entry : toWatch.entrySet())
        {
            if (links.isAvailable(entry.getKey()))
            {
                sender.presenceWatch(entry.getKey(), entry.getValue());
            }
        }
        return moved;
    }

    void onHostLost(final int host)
    {
        final List<Query> failed = new ArrayList<>();
        for (final Query query : queries.values())
        {
            if (query.hosts.contains(host))
            {
                failed.add(query);
            }
        }
        for (final Query query : failed)
        {
            queries.remove(query.correlationId);
            query.origin.onError(frames, "unavailable", "the presence host was lost", null);
        }
    }

    private void onQueryAnswer(final long correlationId, final PresenceUpdateDecoder decoder)
    {
        final Query query = queries.get(correlationId);
        for (final PresenceUpdateDecoder.UpdatesDecoder update : decoder.updates())
        {
            final String status = statusName(update.status());
            final String user = update.user();
            if (null != query && query.remaining.remove(user))
            {
                query.answers.put(user, status);
            }
        }
        if (null != query && query.remaining.isEmpty())
        {
            queries.remove(correlationId);
            final List<UserStatus> updates = new ArrayList<>(query.answers.size());
            for (final String user : query.asked)
            {
                updates.add(new UserStatus(user, query.answers.get(user)));
            }
            query.origin.onPresence(frames, updates);
        }
    }

    static String statusName(final PresenceStatus status)
    {
        return switch (status)
        {
            case ONLINE -> "online";
            case AWAY -> "away";
            default -> "offline";
        };
    }

    private static final class Query
    {
        final long correlationId;
        final List<String> asked;
        final Set<String> remaining;
        final Map<String, String> answers = new LinkedHashMap<>();
        final RequestOrigin origin;
        final long deadlineNs;
        final Set<Integer> hosts;

        Query(
            final long correlationId,
            final Set<String> users,
            final RequestOrigin origin,
            final long deadlineNs,
            final Set<Integer> hosts)
        {
            this.correlationId = correlationId;
            this.asked = new ArrayList<>(users);
            this.remaining = new java.util.HashSet<>(users);
            this.origin = origin;
            this.deadlineNs = deadlineNs;
            this.hosts = Set.copyOf(hosts);
        }
    }
}
