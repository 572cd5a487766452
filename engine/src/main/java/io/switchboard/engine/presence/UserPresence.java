package io.switchboard.engine.presence;

import io.switchboard.codecs.PresenceStatus;
import io.switchboard.engine.partition.NameBuffer;
import org.agrona.collections.Int2IntHashMap;

/**
 * What one presence shard knows about one user: connections per gateway, watches per gateway, and the status the
 * user chose. Pooled by {@link UserTable}: a user that goes idle gives its object back for the next new user.
 * <p>
 * Not thread-safe: owned by the shard thread.
 */
final class UserPresence
{
    private static final int NO_COUNT = 0;

    final NameBuffer name = new NameBuffer();
    final Int2IntHashMap connectionsByNode = new Int2IntHashMap(NO_COUNT);
    final Int2IntHashMap watchesByNode = new Int2IntHashMap(NO_COUNT);
    private final int identity;

    long key;
    UserPresence nextWithSameKey;
    int connectionCount;
    PresenceStatus chosenStatus = PresenceStatus.ONLINE;

    UserPresence(final int identity)
    {
        this.identity = identity;
    }

    PresenceStatus effectiveStatus()
    {
        return 0 == connectionCount ? PresenceStatus.OFFLINE : chosenStatus;
    }

    /**
     * Nothing to remember: no connection, nobody watching and the default status, so the user costs nothing.
     */
    boolean isIdle()
    {
        return 0 == connectionCount && watchesByNode.isEmpty() && PresenceStatus.ONLINE == chosenStatus;
    }

    void clear()
    {
        connectionsByNode.clear();
        watchesByNode.clear();
        nextWithSameKey = null;
        connectionCount = 0;
        chosenStatus = PresenceStatus.ONLINE;
    }

    /**
     * A stable small number, so hash sets of users spread well and never touch the identity hash code.
     */
    public int hashCode()
    {
        return identity;
    }

    public boolean equals(final Object other)
    {
        return this == other;
    }
}
