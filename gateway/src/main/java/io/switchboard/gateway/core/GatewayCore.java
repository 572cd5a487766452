package io.switchboard.gateway.core;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.gateway.GatewayMetrics;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.transport.HostRouting;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.NodeAgent;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Role;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The gateway's single owner of shared state: sessions, allowed channels, the per-channel local subscriber lists,
 * pending requests to hosts and presence watches. It runs on the node agent's thread; Netty event loops and the
 * HTTP API never touch this state, they {@link #post} commands, and answers travel back as writes to connections.
 * <p>
 * Every client request is checked here against the session's allowed channels, so nothing a client sends reaches a
 * channel it is not allowed into.
 * <p>
 * Thread-safety: {@link #post} from any thread; everything else on the node agent's thread only.
 */
public final class GatewayCore
{
    /** Channels one list (join or leave) of a membership change may hold: the bound its message relies on. */
    public static final int MAX_MEMBERSHIP_CHANNELS = MembershipRelay.MAX_CHANNELS;

    private static final Logger LOG = LoggerFactory.getLogger(GatewayCore.class);
    private static final byte[] NO_DATA = new byte[0];

    private final GatewayContext context;
    private final NodeContext node;
    private final NodeAgent agent;
    private final GatewayMetrics metrics;
    private final ClientFrames frames = new ClientFrames(PooledByteBufAllocator.DEFAULT);
    private final FanOut fanOut;
    private final Errors errors;
    private final HostLinks links;
    private final HostSender sender;
    private final PendingRequests pending;
    private final ChannelSubscriptions channels;
    private final PresenceTracker presence;
    private final ChannelRequests requests;
    private final HostInbound inbound;
    private final Long2ObjectHashMap<GatewaySession> sessions = new Long2ObjectHashMap<>();
    private final Map<String, List<GatewaySession>> sessionsByUser = new HashMap<>();
    private final Memberships memberships = new Memberships();
    private final MembershipRelay membershipRelay;
    private boolean draining;
    private String drainTarget;
    private boolean closed;

    /**
     * Create on the node agent's thread (it reads the peer directory).
     *
     * @param context gateway configuration, concluded.
     * @param node    the node's configuration.
     * @param agent   the node agent whose thread runs this core.
     * @param metrics the gateway's meters.
     * @param loops   the event loops sessions live on, indexed as {@link GatewaySession#loopIndex()}.
     */
    public GatewayCore(
        final GatewayContext context,
        final NodeContext node,
        final NodeAgent agent,
        final GatewayMetrics metrics,
        final EventLoop[] loops)
    {
        this.context = context;
        this.node = node;
        this.agent = agent;
        this.metrics = metrics;
        this.errors = new Errors(frames, metrics);
        this.links = new HostLinks(node, agent.peers());
        this.sender = new HostSender(agent.peers(), node.nodeId());
        this.pending = new PendingRequests(context.requestTimeoutMs() * 1_000_000L);
        this.fanOut = new FanOut(loops, metrics, PooledByteBufAllocator.DEFAULT,
            context.slowConsumerGraceMs() * 1_000_000L, 4L * context.highWaterMarkBytes());
        this.channels = new ChannelSubscriptions(
            links, sender, pending, frames, errors, context.subscribeMaxInFlight(), this::post);
        this.presence = new PresenceTracker(links, sender, pending, frames, errors,
            context.requestTimeoutMs() * 1_000_000L);
        this.requests = new ChannelRequests(node.nodeId(), links, sender, pending, frames,
            new HistoryThrottle(context.historyMaxInFlight(), 100_000));
        this.inbound = new HostInbound(links, pending, channels,
            new ChannelDelivery(channels, frames, fanOut, metrics, node.nodeId()), presence, frames);
        this.membershipRelay = new MembershipRelay(node.nodeId(), node.maxMessageLength(), agent.peers(), metrics,
            (user, join, leave) ->
            {
                if (!closed)
                {
                    applyMemberships(user, join, leave);
                }
            });
    }

    /**
     * @return the handler to register with the node agent for the templates hosts send to gateways, and as a peer
     * listener.
     */
    public HostInbound inbound()
    {
        return inbound;
    }

    /**
     * @return the handler to register with the node agent for {@code MembershipChange}, which other gateways send.
     */
    public InboundHandler membershipInbound()
    {
        return membershipRelay;
    }

    /**
     * Run a command on the core's thread; exceptions are logged, never thrown into the agent.
     *
     * @param command to run.
     * @return false when the queue is full: the caller holds the command and retries.
     */
    public boolean post(final Runnable command)
    {
        return agent.post(() ->
        {
            try
            {
                command.run();
            }
            catch (final RuntimeException ex)
            {
                LOG.error("gateway command failed", ex);
            }
        });
    }

    /**
     * A connection passed authentication: send hello, register with presence, subscribe the allowed channels.
     *
     * @param session   the new session.
     * @param principal who it is and what it may use.
     */
    public void register(final GatewaySession session, final Principal principal)
    {
        if (closed)
        {
            session.close(GatewaySession.CLOSE_GOING_AWAY, "gateway closed");
            return;
        }
        // From here on the core's frames to this session queue behind its channel events on the same loop.
        session.writer(fanOut.writer(session.loopIndex()));
        session.allowed.addAll(principal.channels());
        memberships.applyTo(session.user(), session.allowed);
        session.registered = true;
        sessions.put(session.id(), session);
        sessionsByUser.computeIfAbsent(session.user(), u -> new ArrayList<>(1)).add(session);
        session.send(frames.hello(session.user(), session.id(), node.nodeName(), node.region(),
            new TreeSet<>(session.allowed), context.heartbeatMs()));
        presence.connect(session);
        channels.subscribe(session, new ArrayList<>(session.allowed), null);
        if (draining)
        {
            session.send(frames.drain("gateway draining", reconnectDelay(context.drainReconnectMs()),
                drainTarget()));
        }
    }

    /**
     * A connection closed.
     *
     * @param session that closed.
     */
    public void unregister(final GatewaySession session)
    {
        if (!session.registered || session.closed)
        {
            session.closed = true;
            return;
        }
        session.closed = true;
        sessions.remove(session.id());
        final List<GatewaySession> ofUser = sessionsByUser.get(session.user());
        if (null != ofUser)
        {
            ofUser.remove(session);
            if (ofUser.isEmpty())
            {
                sessionsByUser.remove(session.user());
            }
        }
        channels.removeSession(session);
        presence.disconnect(session);
    }

    /**
     * @param session  asking.
     * @param names    channels.
     * @param refJson  the request's ref.
     */
    public void subscribe(final GatewaySession session, final List<String> names, final String refJson)
    {
        if (isGone(session) || !allowed(session, names, refJson))
        {
            return;
        }
        channels.subscribe(session, names, refJson);
    }

    /**
     * @param session asking.
     * @param names   channels.
     */
    public void unsubscribe(final GatewaySession session, final List<String> names)
    {
        if (isGone(session))
        {
            return;
        }
        for (final String name : names)
        {
            channels.unsubscribe(session, name);
        }
    }

    /**
     * @param session   publishing.
     * @param channel   where.
     * @param messageId the client's id, or null to assign one.
     * @param data      JSON payload.
     * @param refJson   the request's ref.
     */
    public void publish(
        final GatewaySession session, final String channel, final String messageId, final byte[] data,
        final String refJson)
    {
        if (isGone(session) || !allowed(session, List.of(channel), refJson))
        {
            return;
        }
        final String id = null != messageId ? messageId :
            node.nodeId() + "-" + session.id() + "-" + (++session.messageCounter);
        publish(new SessionOrigin(session, refJson, errors), channel, session.user(), id, data);
    }

    /**
     * @param origin    where the ack or error goes.
     * @param channel   where.
     * @param user      publisher.
     * @param messageId id, or null to assign one.
     * @param data      JSON payload.
     */
    public void publish(
        final RequestOrigin origin, final String channel, final String user, final String messageId, final byte[] data)
    {
        requests.publish(origin, channel, user, messageId, data);
    }

    /**
     * @param session typing.
     * @param channel where.
     * @param refJson the request's ref.
     */
    public void typing(final GatewaySession session, final String channel, final String refJson)
    {
        sendTransient(session, channel, "typing", NO_DATA, context.transientTtlMs(), refJson);
    }

    /**
     * @param session sending.
     * @param channel where.
     * @param event   event name.
     * @param data    JSON payload.
     * @param ttlMs   time to live, 0 for the default.
     * @param refJson the request's ref.
     */
    public void sendTransient(
        final GatewaySession session, final String channel, final String event, final byte[] data, final int ttlMs,
        final String refJson)
    {
        if (isGone(session) || !allowed(session, List.of(channel), refJson))
        {
            return;
        }
        requests.sendTransient(new SessionOrigin(session, refJson, errors), session.id(), channel, session.user(),
            event, data, ttlMs > 0 ? ttlMs : context.transientTtlMs());
    }

    /**
     * @param session reacting.
     * @param channel where.
     * @param target  what (a message id).
     * @param emoji   which.
     * @param refJson the request's ref.
     */
    public void react(
        final GatewaySession session, final String channel, final String target, final String emoji,
        final String refJson)
    {
        if (isGone(session) || !allowed(session, List.of(channel), refJson))
        {
            return;
        }
        requests.react(new SessionOrigin(session, refJson, errors), channel, target, session.user(), emoji);
    }

    /**
     * @param session asking.
     * @param channel which.
     * @param since   last seq the client has.
     * @param epoch   epoch since belongs to, 0 when unknown.
     * @param limit   most messages.
     * @param refJson the request's ref.
     */
    public void history(
        final GatewaySession session, final String channel, final long since, final long epoch, final int limit,
        final String refJson)
    {
        if (isGone(session) || !allowed(session, List.of(channel), refJson))
        {
            return;
        }
        history(new SessionOrigin(session, refJson, errors), channel, since, epoch, limit);
    }

    /**
     * @param origin  where the answer goes.
     * @param channel which.
     * @param since   last seq already seen.
     * @param epoch   epoch since belongs to, 0 when unknown.
     * @param limit   most messages.
     */
    public void history(
        final RequestOrigin origin, final String channel, final long since, final long epoch, final int limit)
    {
        requests.history(origin, channel, since, epoch, limit);
    }

    /**
     * @param session watching.
     * @param users   its whole viewport.
     */
    public void watch(final GatewaySession session, final List<String> users)
    {
        if (!isGone(session))
        {
            presence.watch(session, users);
        }
    }

    /**
     * @param session asking.
     * @param users   whose status.
     * @param refJson the request's ref.
     */
    public void query(final GatewaySession session, final List<String> users, final String refJson)
    {
        if (!isGone(session))
        {
            presence.query(users, new SessionOrigin(session, refJson, errors));
        }
    }

    /**
     * @param origin where the answer goes.
     * @param users  whose status.
     */
    public void query(final RequestOrigin origin, final List<String> users)
    {
        presence.query(users, origin);
    }

    /**
     * @param session setting its status.
     * @param status  ONLINE or AWAY.
     */
    public void setStatus(final GatewaySession session, final PresenceStatus status)
    {
        if (!isGone(session))
        {
            presence.setStatus(session, status);
        }
    }

    /**
     * Change a user's channels; its live sessions follow at once (join subscribes them, leave unsubscribes them and
     * forbids the channel), and later sessions of the user start from the change. Then the change goes to every
     * other gateway, which applies it to its own sessions of the user the same way.
     *
     * @param user  whose membership.
     * @param join  channels to allow, at most {@link #MAX_MEMBERSHIP_CHANNELS}, none of them in leave.
     * @param leave channels to take away, at most {@link #MAX_MEMBERSHIP_CHANNELS}.
     * @param done  told how many live sessions here changed and which other gateways took the change.
     */
    public void memberships(
        final String user, final List<String> join, final List<String> leave, final Consumer<MembershipOutcome> done)
    {
        final int sessions = applyMemberships(user, join, leave);
        final MembershipOutcome.Relayed relayed = membershipRelay.relay(user, join, leave);
        done.accept(new MembershipOutcome(sessions, relayed.gateways(), relayed.failed()));
    }

    /**
     * The one path of a membership change on this gateway, whether it came through this gateway's API or another's.
     *
     * @return live sessions of the user changed.
     */
    private int applyMemberships(final String user, final Collection<String> join, final Collection<String> leave)
    {
        this.memberships.change(user, join, leave);

        final List<GatewaySession> live = sessionsByUser.getOrDefault(user, List.of());
        for (final GatewaySession session : live)
        {
            final List<String> added = new ArrayList<>();
            for (final String channel : join)
            {
                if (session.allowed.add(channel))
                {
                    added.add(channel);
                }
            }
            channels.subscribe(session, added, null);
            for (final String channel : leave)
            {
                if (session.allowed.remove(channel))
                {
                    channels.unsubscribe(session, channel);
                    errors.send(session, "forbidden", "removed from channel " + channel, null, channel);
                }
            }
        }
        return live.size();
    }

    /**
     * Tell every session to move to another gateway; sessions that connect meanwhile are told at once.
     *
     * @param reason      for the client.
     * @param url         where to reconnect, or null to spread sessions over live gateways of this region.
     * @param reconnectMs upper bound of each session's random reconnect delay.
     * @return sessions told.
     */
    public int drain(final String reason, final String url, final long reconnectMs)
    {
        draining = true;
        drainTarget = url;
        for (final GatewaySession session : sessions.values())
        {
            session.send(frames.drain(reason, reconnectDelay(reconnectMs), drainTarget()));
        }
        LOG.info("gateway draining {} session(s) towards {}", sessions.size(),
            null != url ? url : "live gateways of region " + node.region() + " (else " + context.drainUrl() + ")");
        return sessions.size();
    }

    /**
     * @param requested the URL the operator asked for, or null to pick one.
     * @return where drained clients go: the requested URL, else a live gateway of this region, else one of another
     * region, else the configured drain URL.
     */
    public String drainTarget(final String requested)
    {
        return null != requested ? requested :
            DrainTarget.choose(agent.peers().peers(), node.region(), context.drainUrl());
    }

    private String drainTarget()
    {
        // A fixed URL the operator gave stays; a picked one is picked again, as gateways may have gone meanwhile.
        return null != drainTarget ? drainTarget : drainTarget(null);
    }

    /**
     * Close every session.
     *
     * @param code   close code.
     * @param reason for the client.
     */
    public void closeAll(final int code, final String reason)
    {
        for (final GatewaySession session : new ArrayList<>(sessions.values()))
        {
            session.close(code, reason);
        }
    }

    /**
     * The cluster view's placement of a role changed (a host joined, left or stopped answering): channels and
     * presence registrations whose owner changed move to the new owner; requests in flight at a channel's old owner
     * fail as unavailable so the client retries at the new one.
     *
     * @param role    channel or presence.
     * @param routing the role's routing now, or null when no host serves it.
     */
    public void onPlacement(final Role role, final HostRouting routing)
    {
        if (closed)
        {
            return;
        }
        links.onPlacement(role, routing);
        if (Role.CHANNEL == role)
        {
            final int moved = channels.onPlacementChanged();
            pending.failMoved(links::channelHostOf, request -> request.origin.onError(frames, "unavailable",
                "the channel moved to another host; retry", request.channel));
            metrics.channelsMoved(moved);
            if (moved > 0)
            {
                LOG.info("placement: {} local channel(s) moved to new hosts", moved);
            }
        }
        else if (Role.PRESENCE == role)
        {
            final int moved = presence.onPlacementChanged();
            if (moved > 0)
            {
                LOG.info("placement: {} connected user(s) moved to new presence hosts", moved);
            }
        }
    }

    /**
     * Time out requests and retry refused subscriptions; call about every 100 ms.
     */
    public void tick()
    {
        final long nowNs = System.nanoTime();
        pending.expire(nowNs, inbound::onExpired);
        presence.expire(nowNs);
        channels.retryUnavailable(nowNs);
    }

    /**
     * Stop serving; host messages that still arrive are ignored.
     */
    public void close()
    {
        closed = true;
        inbound.close();
    }

    /**
     * @return sessions registered.
     */
    public int sessionCount()
    {
        return sessions.size();
    }

    private boolean isGone(final GatewaySession session)
    {
        return closed || session.closed || !session.registered;
    }

    private boolean allowed(final GatewaySession session, final List<String> names, final String refJson)
    {
        List<String> forbidden = null;
        for (final String name : names)
        {
            if (!session.allowed.contains(name))
            {
                if (null == forbidden)
                {
                    forbidden = new ArrayList<>();
                }
                forbidden.add(name);
            }
        }
        if (null == forbidden)
        {
            return true;
        }
        errors.send(session, "forbidden", "not allowed in " + String.join(", ", forbidden), refJson,
            forbidden.size() == 1 ? forbidden.get(0) : null);
        return false;
    }

    private static long reconnectDelay(final long upperBoundMs)
    {
        return upperBoundMs <= 0 ? 0 : ThreadLocalRandom.current().nextLong(upperBoundMs + 1);
    }
}
