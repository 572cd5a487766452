package io.switchboard.gateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A channel as one gateway sees it: the host that owns it, the state of the gateway's one subscription there, the
 * last seq delivered, and the local sessions subscribed. The sessions are also kept grouped by event loop in arrays
 * that are replaced, never modified, so event loops can read them while the core changes the list.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread (the arrays handed out are immutable).
 */
final class LocalChannel
{
    static final int SUBSCRIBING = 1;
    static final int SUBSCRIBED = 2;
    static final int UNAVAILABLE = 3;

    private static final GatewaySession[] NO_SESSIONS = new GatewaySession[0];

    final String name;
    int host;
    /** Set once the channel moved between hosts: from then on only the epoch its owner answered is delivered. */
    boolean moved;
    // Sized for the common case of one local subscriber and one waiting batch: a gateway holds millions of these,
    // and ArrayList's default first growth to 10 slots would cost ~64 bytes per channel.
    final List<GatewaySession> sessions = new ArrayList<>(1);
    final List<SubscribeBatch> waiting = new ArrayList<>(0);
    int state = UNAVAILABLE;
    long seq;
    long epoch;
    long subscribeCorrelationId;
    boolean wasSubscribed;
    long nextRetryNs;
    /** In the gateway's queue of subscriptions waiting for room in the window. */
    boolean queuedToSubscribe;
    /** In the gateway's list of unavailable channels to retry. */
    boolean retryListed;
    private GatewaySession[][] byLoop;

    LocalChannel(final String name, final int host)
    {
        this.name = name;
        this.host = host;
    }

    void add(final GatewaySession session)
    {
        sessions.add(session);
        byLoop = null;
    }

    boolean remove(final GatewaySession session)
    {
        final boolean removed = sessions.remove(session);
        if (removed)
        {
            byLoop = null;
        }
        return removed;
    }

    GatewaySession[][] sessionsByLoop(final int loopCount)
    {
        if (null == byLoop)
        {
            final int[] counts = new int[loopCount];
            for (final GatewaySession session : sessions)
            {
                counts[session.loopIndex()]++;
            }
            final GatewaySession[][] arrays = new GatewaySession[loopCount][];
            for (int i = 0; i < loopCount; i++)
            {
                arrays[i] = 0 == counts[i] ? NO_SESSIONS : new GatewaySession[counts[i]];
                counts[i] = 0;
            }
            for (final GatewaySession session : sessions)
            {
                arrays[session.loopIndex()][counts[session.loopIndex()]++] = session;
            }
            byLoop = arrays;
        }
        return byLoop;
    }
}
