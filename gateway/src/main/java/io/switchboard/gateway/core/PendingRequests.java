package io.switchboard.gateway.core;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Requests sent to hosts and not yet answered, by correlation id. Deadlines grow in insertion order, so expiry pops
 * from the front of a queue and never scans; answered requests are skipped when they reach the front.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class PendingRequests
{
    static final int SUBSCRIBE = 1;
    static final int PUBLISH = 2;
    static final int HISTORY = 3;

    private final Long2ObjectHashMap<Pending> byId = new Long2ObjectHashMap<>();
    private final ArrayDeque<Pending> byDeadline = new ArrayDeque<>();
    private final long timeoutNs;
    private long nextCorrelationId;
    private final int[] inFlightByKind = new int[4];

    PendingRequests(final long timeoutNs)
    {
        this.timeoutNs = timeoutNs;
        // Not 1: replies addressed to a previous run of this node id must not match new requests.
        this.nextCorrelationId = (System.currentTimeMillis() & 0xFFFF_FFFFL) << 20;
    }

    long nextCorrelationId()
    {
        return ++nextCorrelationId;
    }

    Pending add(final int kind, final int host, final String channel, final RequestOrigin origin, final Object ref)
    {
        final Pending pending = new Pending(nextCorrelationId(), kind, host, channel, origin, ref,
            System.nanoTime() + timeoutNs);
        byId.put(pending.correlationId, pending);
        byDeadline.addLast(pending);
        inFlightByKind[kind]++;
        return pending;
    }

    Pending remove(final long correlationId)
    {
        final Pending pending = byId.remove(correlationId);
        if (null != pending)
        {
            pending.done = true;
            inFlightByKind[pending.kind]--;
        }
        return pending;
    }

    /**
     * @param kind {@link #SUBSCRIBE}, {@link #PUBLISH} or {@link #HISTORY}.
     * @return requests of that kind waiting for an answer.
     */
    int inFlight(final int kind)
    {
        return inFlightByKind[kind];
    }

    int size()
    {
        return byId.size();
    }

    void expire(final long nowNs, final Consumer<Pending> onExpired)
    {
        while (!byDeadline.isEmpty())
        {
            final Pending head = byDeadline.peekFirst();
            if (head.done)
            {
                byDeadline.pollFirst();
                continue;
            }
            if (nowNs - head.deadlineNs < 0)
            {
                return;
            }
            byDeadline.pollFirst();
            remove(head.correlationId);
            onExpired.accept(head);
        }
    }

    void failHost(final int host, final Consumer<Pending> onFailed)
    {
        final List<Pending> failed = new ArrayList<>();
        for (final Pending pending : byId.values())
        {
            if (pending.host == host)
            {
                failed.add(pending);
            }
        }
        for (final Pending pending : failed)
        {
            remove(pending.correlationId);
            onFailed.accept(pending);
        }
    }

    /**
     * Fail the requests whose host no longer owns their channel: their answer, if any comes, is from a host that
     * lost the channel.
     *
     * @param ownerOf  the channel's owner now.
     * @param onFailed told of each failed request.
     */
    void failMoved(final java.util.function.ToIntFunction<String> ownerOf, final Consumer<Pending> onFailed)
    {
        final List<Pending> failed = new ArrayList<>();
        for (final Pending pending : byId.values())
        {
            if (null != pending.channel && PendingRequests.SUBSCRIBE != pending.kind &&
                ownerOf.applyAsInt(pending.channel) != pending.host)
            {
                failed.add(pending);
            }
        }
        for (final Pending pending : failed)
        {
            remove(pending.correlationId);
            onFailed.accept(pending);
        }
    }

    /**
     * One request in flight.
     */
    static final class Pending
    {
        final long correlationId;
        final int kind;
        final int host;
        final String channel;
        final RequestOrigin origin;
        final Object attachment;
        final long deadlineNs;
        boolean done;

        Pending(
            final long correlationId,
            final int kind,
            final int host,
            final String channel,
            final RequestOrigin origin,
            final Object attachment,
            final long deadlineNs)
        {
            this.correlationId = correlationId;
            this.kind = kind;
            this.host = host;
            this.channel = channel;
            this.origin = origin;
            this.attachment = attachment;
            this.deadlineNs = deadlineNs;
        }
    }
}
