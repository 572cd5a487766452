package io.switchboard.gateway.core;

import io.switchboard.engine.OutboundSink;
import org.agrona.DirectBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The gateway's channels: one subscription per channel at its host however many local sessions want it, and the
 * local subscriber lists ({@link ChannelDelivery} delivers the hosts' events to them). Subscriptions go to the hosts
 * through a bounded in-flight window; the rest wait in order, so a burst cannot overrun the hosts' answers.
 * <p>
 * A lost host makes its channels unavailable: sessions get an {@code unavailable} error naming the channel, and the
 * gateway subscribes again when the host is back (or retries every second while a subscription is refused), telling
 * every session where the renewed subscription starts so it can fetch what it missed from history.
 * <p>
 * When placement changes (a host joined or left the cluster), each channel whose owner changed subscribes at its new
 * owner and leaves the old one. Until the new owner answers, and afterwards for any other epoch, {@link
 * ChannelDelivery} drops events: a late event from the old owner must never reach a client after the new owner's
 * start, so a client sees one new epoch (and resumes with history, complete: false) rather than a seq that goes
 * backwards.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class ChannelSubscriptions
{
    private static final long RETRY_NS = 1_000_000_000L;
    private static final long NO_RETRY_TIME = ChannelsInTransit.NO_RETRY_TIME;
    private static final int COMPACT_ABOVE_CAPACITY = ChannelsInTransit.COMPACT_ABOVE_CAPACITY;

    private final ChannelTable channels = new ChannelTable();
    private final ChannelsInTransit transit = new ChannelsInTransit();
    private final HostLinks links;
    private final HostSender sender;
    private final PendingRequests pending;
    private final ClientFrames frames;
    private final Errors errors;
    private ArrayDeque<LocalChannel> subscribeQueue = new ArrayDeque<>();
    private int subscribeQueuePeak;
    private ArrayList<LocalChannel> toRetry = new ArrayList<>();
    private ArrayList<LocalChannel> retrySpare = new ArrayList<>();
    private final int maxSubscribesInFlight;
    private final HostSweeps sweeps;

    ChannelSubscriptions(
        final HostLinks links,
        final HostSender sender,
        final PendingRequests pending,
        final ClientFrames frames,
        final Errors errors,
        final int maxSubscribesInFlight,
        final Predicate<Runnable> later)
    {
        this.sweeps = new HostSweeps(later);
        this.maxSubscribesInFlight = maxSubscribesInFlight;
        this.links = links;
        this.sender = sender;
        this.pending = pending;
        this.frames = frames;
        this.errors = errors;
    }

    /**
     * @param name a channel.
     * @return its local state, or null when no local session is subscribed.
     */
    LocalChannel channel(final String name)
    {
        return channels.get(name);
    }

    /**
     * @param buffer holding a channel name in UTF-8, as a host sent it.
     * @param offset where the name starts.
     * @param length its length in bytes.
     * @return its local state, or null when no local session is subscribed.
     */
    LocalChannel channel(final DirectBuffer buffer, final int offset, final int length)
    {
        return channels.get(buffer, offset, length);
    }

    int channelCount()
    {
        return channels.size();
    }

    void subscribe(final GatewaySession session, final Collection<String> names, final String refJson)
    {
        if (names.isEmpty())
        {
            return;
        }
        final SubscribeBatch batch = new SubscribeBatch(session, refJson, names.size());
        for (final String name : names)
        {
            subscribeOne(session, name, batch);
        }
    }

    private void subscribeOne(final GatewaySession session, final String name, final SubscribeBatch batch)
    {
        LocalChannel channel = channels.get(name);
        if (null == channel)
        {
            final int host = links.channelHostOf(name);
            if (HostLinks.NO_HOST == host)
            {
                batch.failed(frames, errors, "unavailable", "no channel host is configured", name);
                return;
            }
            channel = new LocalChannel(name, host);
            channels.put(channel);
            requestSubscription(channel);
        }
        if (session.subscribed.add(name))
        {
            channel.add(session);
        }

        switch (channel.state)
        {
            case LocalChannel.SUBSCRIBED -> batch.resolved(frames, name, channel.seq, channel.epoch);
            case LocalChannel.SUBSCRIBING -> transit.addWaiting(channel, batch);
            default -> batch.failed(frames, errors, "unavailable",
                "the channel's host is unavailable; the subscription resumes when it returns", name);
        }
    }

    void unsubscribe(final GatewaySession session, final String name)
    {
        if (!session.subscribed.remove(name))
        {
            return;
        }
        final LocalChannel channel = channels.get(name);
        if (null != channel && channel.remove(session) && 0 == channel.sessionCount())
        {
            drop(channel);
        }
    }

    void removeSession(final GatewaySession session)
    {
        for (final String name : new ArrayList<>(session.subscribed))
        {
            unsubscribe(session, name);
        }
    }

    void onSubscribed(final long correlationId, final long seq, final long epoch, final String name)
    {
        pending.remove(correlationId);
        pumpSubscriptions();
        final LocalChannel channel = channels.get(name);
        if (null == channel || transit.requestId(channel) != correlationId)
        {
            return;
        }
        transit.requestDone(channel);

        final boolean resumed = channel.wasSubscribed();
        channel.markSubscribed();
        if (channel.epoch != epoch || seq > channel.seq)
        {
            channel.epoch = epoch;
            channel.seq = seq;
        }

        final Set<GatewaySession> answered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (final SubscribeBatch batch : transit.takeWaiting(channel))
        {
            answered.add(batch.session());
            batch.resolved(frames, name, channel.seq, channel.epoch);
        }
        // Sessions not answered just now were told the channel was unavailable (or it moved): tell them where it
        // starts, even for a first subscription that only succeeded on a retry.
        if (resumed || channel.sessionCount() > answered.size())
        {
            final List<ClientFrames.SubscribedChannel> start =
                List.of(new ClientFrames.SubscribedChannel(name, channel.seq, channel.epoch));
            for (int i = 0; i < channel.sessionCount(); i++)
            {
                final GatewaySession session = channel.session(i);
                if (!answered.contains(session) && !session.closed)
                {
                    session.send(frames.subscribed(null, start));
                }
            }
        }
    }

    /**
     * @param failed  the subscription request that failed (error answer or timeout).
     * @param code    client error code.
     * @param message why.
     */
    void onSubscribeFailed(final PendingRequests.Pending failed, final String code, final String message)
    {
        pumpSubscriptions();
        final LocalChannel channel = (LocalChannel)failed.attachment;
        if (channels.get(channel.name) != channel || transit.requestId(channel) != failed.correlationId)
        {
            return;
        }
        transit.requestDone(channel);
        if ("unavailable".equals(code))
        {
            becomeUnavailable(channel, message);
            return;
        }

        // A refusal that retrying cannot fix (a bad name): nobody stays subscribed.
        channels.remove(channel);
        transit.forget(channel);
        final Set<GatewaySession> answered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (final SubscribeBatch batch : transit.takeWaiting(channel))
        {
            answered.add(batch.session());
            batch.failed(frames, errors, code, message, channel.name);
        }
        for (int i = 0; i < channel.sessionCount(); i++)
        {
            final GatewaySession session = channel.session(i);
            session.subscribed.remove(channel.name);
            if (!answered.contains(session))
            {
                errors.send(session, code, message, null, channel.name);
            }
        }
    }

    /**
     * A channel host was lost: its channels become unavailable and every session is told, for each channel. A host
     * may own millions of this gateway's channels: they are told about in turns ({@link HostSweeps}).
     *
     * @param host the lost host's node id.
     */
    void onHostLost(final int host)
    {
        final ArrayList<LocalChannel> affected = new ArrayList<>();
        channels.forEach(channel ->
        {
            if (channel.host == host)
            {
                affected.add(channel);
            }
        });
        sweeps.queue(host, affected, this::reportLoss);
    }

    private void reportLoss(final LocalChannel channel)
    {
        if (channels.get(channel.name) != channel)
        {
            return; // dropped since the loss
        }
        final Set<GatewaySession> answered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (final SubscribeBatch batch : transit.waiting(channel))
        {
            answered.add(batch.session());
        }
        becomeUnavailable(channel, "the channel's host was lost; the subscription resumes when it returns");
        for (int i = 0; i < channel.sessionCount(); i++)
        {
            final GatewaySession session = channel.session(i);
            if (!answered.contains(session))
            {
                errors.send(session, "unavailable",
                    "the channel's host was lost; the subscription resumes when it returns", null, channel.name);
            }
        }
        if (links.isAvailable(channel.host))
        {
            // The host came back before this channel's turn: onHostUp passed it over (it was not unavailable yet),
            // so subscribe it again here; its sessions get where it resumes when the host answers.
            requestSubscription(channel);
        }
    }

    /**
     * A channel host is back: subscribe its unavailable channels again, in turns like a loss (a returning host may
     * own millions of them, and queueing them all at once kept the node agent from heartbeating).
     *
     * @param host the host's node id.
     */
    void onHostUp(final int host)
    {
        final ArrayList<LocalChannel> affected = new ArrayList<>();
        channels.forEach(channel ->
        {
            if (channel.host == host && LocalChannel.UNAVAILABLE == channel.state)
            {
                affected.add(channel);
            }
        });
        sweeps.queue(host, affected, this::resubscribeReturned);
    }

    private void resubscribeReturned(final LocalChannel channel)
    {
        if (channels.get(channel.name) == channel && LocalChannel.UNAVAILABLE == channel.state &&
            links.isAvailable(channel.host))
        {
            requestSubscription(channel);
        }
    }

    /**
     * The channel hosts changed: move every channel whose owner changed to its new owner.
     *
     * @return channels moved.
     */
    int onPlacementChanged()
    {
        final int[] moved = { 0 };
        channels.forEach(channel ->
        {
            final int owner = links.channelHostOf(channel.name);
            if (HostLinks.NO_HOST == owner || owner == channel.host)
            {
                return;
            }
            if (LocalChannel.UNAVAILABLE != channel.state && links.isAvailable(channel.host))
            {
                sender.unsubscribe(channel.host, 0, channel.name);
            }
            channel.host = owner;
            channel.markMoved();
            requestSubscription(channel);
            moved[0]++;
        });
        return moved[0];
    }

    /**
     * Retry the unavailable channels that are due, walking only those (a gateway may hold millions of channels).
     *
     * @param nowNs now.
     */
    void retryUnavailable(final long nowNs)
    {
        sweeps.resumeIfStalled();
        final ArrayList<LocalChannel> walking = toRetry;
        toRetry = retrySpare;
        for (int i = 0, size = walking.size(); i < size; i++)
        {
            final LocalChannel channel = walking.get(i);
            channel.retryListed(false);
            if (LocalChannel.UNAVAILABLE != channel.state || channels.get(channel.name) != channel)
            {
                continue;
            }
            final long due = transit.retryAt(channel);
            if (links.isAvailable(channel.host) && (NO_RETRY_TIME == due || nowNs - due >= 0))
            {
                requestSubscription(channel);
            }
            else
            {
                markUnavailable(channel);
            }
        }
        final int walked = walking.size();
        walking.clear();
        if (walked > COMPACT_ABOVE_CAPACITY && toRetry.size() < COMPACT_ABOVE_CAPACITY)
        {
            // After a lost host the list held every one of its channels: give that memory back once it is over.
            walking.trimToSize();
        }
        retrySpare = walking;
        pumpSubscriptions();
    }

    private void requestSubscription(final LocalChannel channel)
    {
        if (!links.isAvailable(channel.host))
        {
            markUnavailable(channel);
            return;
        }
        channel.state = LocalChannel.SUBSCRIBING;
        transit.forget(channel);
        if (pending.inFlight(PendingRequests.SUBSCRIBE) >= maxSubscribesInFlight || !subscribeQueue.isEmpty())
        {
            // A burst (thousands of sessions, or one session with thousands of channels) waits here in order
            // instead of overrunning the host's answers back to this gateway.
            queueSubscription(channel, false);
            return;
        }
        sendSubscription(channel);
    }

    /**
     * Send queued subscriptions while the window has room; after every answer and every tick.
     */
    void pumpSubscriptions()
    {
        while (!subscribeQueue.isEmpty() && pending.inFlight(PendingRequests.SUBSCRIBE) < maxSubscribesInFlight)
        {
            final LocalChannel channel = subscribeQueue.pollFirst();
            if (subscribeQueue.isEmpty() && subscribeQueuePeak > COMPACT_ABOVE_CAPACITY)
            {
                // The queue's array stays at its peak (millions during a burst) unless replaced.
                subscribeQueue = new ArrayDeque<>();
                subscribeQueuePeak = 0;
            }
            channel.queuedToSubscribe(false);
            if (channels.get(channel.name) != channel || LocalChannel.SUBSCRIBING != channel.state ||
                0 != transit.requestId(channel))
            {
                continue;
            }
            if (!links.isAvailable(channel.host))
            {
                becomeUnavailable(channel, "the channel's host is unavailable; the subscription resumes when it returns");
                continue;
            }
            if (!sendSubscription(channel))
            {
                return;
            }
        }
    }

    /**
     * @return false when the host's stream was back-pressured: the channel went back to the head of the queue.
     */
    private boolean sendSubscription(final LocalChannel channel)
    {
        final PendingRequests.Pending request =
            pending.add(PendingRequests.SUBSCRIBE, channel.host, channel.name, null, channel);
        transit.requestSent(channel, request.correlationId);
        channel.state = LocalChannel.SUBSCRIBING;
        final int result = sender.subscribe(channel.host, request.correlationId, channel.name);
        if (OutboundSink.SENT == result)
        {
            return true;
        }
        pending.remove(request.correlationId);
        if (OutboundSink.BACK_PRESSURED == result)
        {
            // The host is busy, not gone: wait at the head of the queue for the next answer or tick instead of
            // failing the subscription to its sessions.
            transit.requestDone(channel);
            queueSubscription(channel, true);
            return false;
        }
        becomeUnavailable(channel, "the channel's host did not take the subscription (" + HostSender.describe(result) + ")");
        return true;
    }

    private void queueSubscription(final LocalChannel channel, final boolean atHead)
    {
        if (!channel.queuedToSubscribe())
        {
            channel.queuedToSubscribe(true);
            if (atHead)
            {
                subscribeQueue.addFirst(channel);
            }
            else
            {
                subscribeQueue.addLast(channel);
            }
            subscribeQueuePeak = Math.max(subscribeQueuePeak, subscribeQueue.size());
        }
    }

    private void markUnavailable(final LocalChannel channel)
    {
        channel.state = LocalChannel.UNAVAILABLE;
        // A channel whose host is down needs no retry: onHostUp (or a placement change) subscribes it again. Listing
        // it would walk every channel of a lost host on every tick for as long as the host stays down.
        if (!channel.retryListed() && links.isAvailable(channel.host))
        {
            channel.retryListed(true);
            toRetry.add(channel);
        }
    }

    private void becomeUnavailable(final LocalChannel channel, final String message)
    {
        markUnavailable(channel);
        if (channel.retryListed())
        {
            transit.retryAt(channel, System.nanoTime() + RETRY_NS); // refused by a live host: not at once again
        }
        for (final SubscribeBatch batch : transit.takeWaiting(channel))
        {
            batch.failed(frames, errors, "unavailable", message, channel.name);
        }
    }

    private void drop(final LocalChannel channel)
    {
        channels.remove(channel);
        transit.forget(channel);
        for (final SubscribeBatch batch : transit.takeWaiting(channel))
        {
            batch.cancelled(frames);
        }
        if (LocalChannel.UNAVAILABLE != channel.state && links.isAvailable(channel.host))
        {
            sender.unsubscribe(channel.host, 0, channel.name);
        }
    }
}
