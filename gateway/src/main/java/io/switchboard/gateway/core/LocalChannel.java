package io.switchboard.gateway.core;

import java.util.Arrays;

/**
 * A channel as one gateway sees it: the host that owns it, the state of the gateway's one subscription there, the
 * last seq delivered, and the local sessions subscribed.
 * <p>
 * A gateway holds millions of these, most with one local session, so one is 48 bytes: state and flags are bytes,
 * what only a channel in transit needs (the subscribe request in flight, the retry time, the batches waiting for an
 * answer) lives in {@link ChannelSubscriptions}' side tables, and a single session is held without an array until an
 * event first has to be written to it.
 * <p>
 * The sessions array handed to the event loops ({@link #deliverySessions()}) is never changed below the count it
 * was handed with: a removal copies it first, an addition writes past that count or into a new array.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread (the arrays handed out are read-only to their readers).
 */
final class LocalChannel
{
    static final byte SUBSCRIBING = 1;
    static final byte SUBSCRIBED = 2;
    static final byte UNAVAILABLE = 3;

    private static final byte MOVED = 1;
    private static final byte WAS_SUBSCRIBED = 2;
    private static final byte QUEUED_TO_SUBSCRIBE = 4;
    private static final byte RETRY_LISTED = 8;
    private static final byte SESSIONS_SHARED = 16;

    private static final GatewaySession[] NO_SESSIONS = new GatewaySession[0];

    final String name;
    int host;
    byte state = UNAVAILABLE;
    long seq;
    long epoch;

    private byte flags;
    /** null, the one session, or an array of which the first {@link #sessionCount} are the sessions. */
    private Object members;
    private int sessionCount;

    LocalChannel(final String name, final int host)
    {
        this.name = name;
        this.host = host;
    }

    /**
     * @return true once the channel moved between hosts: from then on only the epoch its owner answered is delivered.
     */
    boolean moved()
    {
        return (flags & MOVED) != 0;
    }

    void markMoved()
    {
        flags |= MOVED;
    }

    /**
     * @return true when the host has answered a subscription for this channel before.
     */
    boolean wasSubscribed()
    {
        return (flags & WAS_SUBSCRIBED) != 0;
    }

    void markSubscribed()
    {
        state = SUBSCRIBED;
        flags |= WAS_SUBSCRIBED;
    }

    /**
     * @return true while in the gateway's queue of subscriptions waiting for room in the window.
     */
    boolean queuedToSubscribe()
    {
        return (flags & QUEUED_TO_SUBSCRIBE) != 0;
    }

    void queuedToSubscribe(final boolean queued)
    {
        flags = (byte)(queued ? flags | QUEUED_TO_SUBSCRIBE : flags & ~QUEUED_TO_SUBSCRIBE);
    }

    /**
     * @return true while in the gateway's list of unavailable channels to retry.
     */
    boolean retryListed()
    {
        return (flags & RETRY_LISTED) != 0;
    }

    void retryListed(final boolean listed)
    {
        flags = (byte)(listed ? flags | RETRY_LISTED : flags & ~RETRY_LISTED);
    }

    int sessionCount()
    {
        return sessionCount;
    }

    GatewaySession session(final int index)
    {
        if (index < 0 || index >= sessionCount)
        {
            throw new IndexOutOfBoundsException("session " + index + " of " + sessionCount);
        }
        return members instanceof GatewaySession single ? single : ((GatewaySession[])members)[index];
    }

    void add(final GatewaySession session)
    {
        if (null == members)
        {
            members = session;
            sessionCount = 1;
            return;
        }
        if (members instanceof GatewaySession single)
        {
            members = new GatewaySession[] { single, session };
            sessionCount = 2;
            flags &= ~SESSIONS_SHARED;
            return;
        }
        GatewaySession[] sessions = (GatewaySession[])members;
        if (sessionCount == sessions.length)
        {
            // Exact up to a handful of sessions; 1.5x beyond, so a large channel does not copy on every join.
            final int capacity = sessionCount < 4 ? sessionCount + 1 : sessionCount + (sessionCount >> 1);
            sessions = Arrays.copyOf(sessions, capacity);
            members = sessions;
            flags &= ~SESSIONS_SHARED;
        }
        // Past the count handed to any event loop, so safe to write even into a shared array.
        sessions[sessionCount++] = session;
    }

    boolean remove(final GatewaySession session)
    {
        if (members instanceof GatewaySession single)
        {
            if (single != session)
            {
                return false;
            }
            members = null;
            sessionCount = 0;
            return true;
        }
        if (null == members)
        {
            return false;
        }
        GatewaySession[] sessions = (GatewaySession[])members;
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
        if ((flags & SESSIONS_SHARED) != 0)
        {
            // An event loop may be writing to the array it was handed: leave that one as it is.
            sessions = sessions.clone();
            members = sessions;
            flags &= ~SESSIONS_SHARED;
        }
        System.arraycopy(sessions, index + 1, sessions, index, sessionCount - index - 1);
        sessions[--sessionCount] = null;
        if (0 == sessionCount)
        {
            members = null;
        }
        return true;
    }

    /**
     * The sessions as an array to hand to the event loops with {@link #sessionCount()}: its first that many
     * elements stay as they are for as long as a reader may hold it.
     *
     * @return the sessions, possibly with spare slots past the count.
     */
    GatewaySession[] deliverySessions()
    {
        if (null == members)
        {
            return NO_SESSIONS;
        }
        if (members instanceof GatewaySession single)
        {
            // Only a channel that is written to pays for the array, and then keeps it.
            members = new GatewaySession[] { single };
        }
        flags |= SESSIONS_SHARED;
        return (GatewaySession[])members;
    }
}
