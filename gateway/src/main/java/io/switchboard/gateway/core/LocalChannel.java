package io.switchboard.gateway.core;

import java.util.ArrayList;
import java.util.Arrays;
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

    // A gateway holds millions of these, most with one local session, so the subscribers are a bare array sized
    // exactly while small (no list object, no spare slots) and the batches waiting for the host's answer a list
    // that exists only while there are some: ~100 bytes less per channel than two ArrayLists and a separate cache.
    private GatewaySession[] sessions = NO_SESSIONS;
    private int sessionCount;
    /** The sessions array is also the single loop's array in byLoop: change a copy, never it. */
    private boolean sessionsShared;
    private GatewaySession[][] byLoop;
    private List<SubscribeBatch> waiting;

    LocalChannel(final String name, final int host)
    {
        this.name = name;
        this.host = host;
    }

    int sessionCount()
    {
        return sessionCount;
    }

    GatewaySession session(final int index)
    {
        return sessions[index];
    }

    void add(final GatewaySession session)
    {
        if (sessionCount == sessions.length)
        {
            // Exact up to a handful of sessions; 1.5x beyond, so a large channel does not copy on every join.
            final int capacity = sessionCount < 4 ? sessionCount + 1 : sessionCount + (sessionCount >> 1);
            sessions = Arrays.copyOf(sessions, capacity);
            sessionsShared = false;
        }
        sessions[sessionCount++] = session;
        byLoop = null;
    }

    boolean remove(final GatewaySession session)
    {
        int index = -1;
        for (int i = 0; i < sessionCount; i++)
        {
            if (sessions[i] == session)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            return false;
        }
        if (sessionsShared)
        {
            // An event loop may be writing to the array it was handed: leave that one as it is.
            sessions = sessions.clone();
            sessionsShared = false;
        }
        System.arraycopy(sessions, index + 1, sessions, index, sessionCount - index - 1);
        sessions[--sessionCount] = null;
        byLoop = null;
        return true;
    }

    /**
     * @param loopCount event loops of the gateway.
     * @return the sessions grouped by event loop index; the arrays are never modified once handed out.
     */
    GatewaySession[][] sessionsByLoop(final int loopCount)
    {
        if (null == byLoop)
        {
            final int[] counts = new int[loopCount];
            for (int i = 0; i < sessionCount; i++)
            {
                counts[sessions[i].loopIndex()]++;
            }
            final GatewaySession[][] arrays = new GatewaySession[loopCount][];
            for (int loop = 0; loop < loopCount; loop++)
            {
                if (sessionCount > 0 && counts[loop] == sessionCount && sessionCount == sessions.length)
                {
                    // Every session on one loop and no spare slot (the common one-session channel): hand out the
                    // array itself rather than a copy, and copy it before the next change instead.
                    arrays[loop] = sessions;
                    sessionsShared = true;
                    counts[loop] = -1;
                }
                else
                {
                    arrays[loop] = 0 == counts[loop] ? NO_SESSIONS : new GatewaySession[counts[loop]];
                    counts[loop] = 0;
                }
            }
            for (int i = 0; i < sessionCount; i++)
            {
                final int loop = sessions[i].loopIndex();
                if (counts[loop] >= 0)
                {
                    arrays[loop][counts[loop]++] = sessions[i];
                }
            }
            byLoop = arrays;
        }
        return byLoop;
    }

    void addWaiting(final SubscribeBatch batch)
    {
        if (null == waiting)
        {
            waiting = new ArrayList<>(1);
        }
        waiting.add(batch);
    }

    /**
     * @return the batches waiting for the host's answer; read only.
     */
    List<SubscribeBatch> waiting()
    {
        return null == waiting ? List.of() : waiting;
    }

    /**
     * @return the batches waiting for the host's answer, which no longer wait: the caller answers them.
     */
    List<SubscribeBatch> takeWaiting()
    {
        final List<SubscribeBatch> taken = null == waiting ? List.of() : waiting;
        waiting = null;
        return taken;
    }
}
