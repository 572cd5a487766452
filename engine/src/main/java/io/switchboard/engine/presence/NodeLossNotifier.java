package io.switchboard.engine.presence;

import io.switchboard.codecs.PresenceStatus;
import org.agrona.collections.Int2IntHashMap;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Tells watchers about the users a lost node took offline, grouped per watching gateway so each gets as few
 * PresenceUpdates as fit: every (watcher, user) pair is packed into a long with the watcher in the high half, the
 * pairs are sorted, and each run of one watcher becomes one list of updates.
 * <p>
 * Not thread-safe: owned by the shard thread.
 */
final class NodeLossNotifier
{
    private final PresenceSender sender;
    private final ArrayList<UserPresence> offline = new ArrayList<>();
    private long[] pairs = new long[64];

    NodeLossNotifier(final PresenceSender sender)
    {
        this.sender = sender;
    }

    void wentOffline(final UserPresence presence)
    {
        offline.add(presence);
    }

    void notifyWatchers()
    {
        int pairCount = 0;
        for (int i = 0, size = offline.size(); i < size; i++)
        {
            final Int2IntHashMap.KeyIterator watchers = offline.get(i).watchesByNode.keySet().iterator();
            while (watchers.hasNext())
            {
                if (pairCount == pairs.length)
                {
                    pairs = Arrays.copyOf(pairs, pairCount * 2);
                }
                pairs[pairCount++] = ((long)watchers.nextValue() << 32) | i;
            }
        }

        Arrays.sort(pairs, 0, pairCount);

        int watcher = 0;
        for (int i = 0; i < pairCount; i++)
        {
            final int nextWatcher = (int)(pairs[i] >>> 32);
            if (0 == i || nextWatcher != watcher)
            {
                if (i > 0)
                {
                    sender.end();
                }
                watcher = nextWatcher;
                sender.begin(watcher, 0);
            }

            final UserPresence presence = offline.get((int)pairs[i]);
            sender.add(PresenceStatus.OFFLINE, presence.name.buffer(), 0, presence.name.length());
        }
        if (pairCount > 0)
        {
            sender.end();
        }

        offline.clear();
    }
}
