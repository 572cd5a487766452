package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The presence scenario's side of the run: user i watches users i+1..i+W (wrapping), each status change (alternating
 * {@code away}/{@code online}, open loop) is remembered with its intended time, and every {@code presence} frame a
 * watcher receives is matched to the change it reports, so its latency is change-to-watcher from the intended time.
 * Changes of one user are N/rate seconds apart, far more than any latency measured, so a frame names one change.
 * <p>
 * Thread-safety: {@link #change} on the publisher thread, {@link #onFrame} on event loops; the intended times are
 * published through an {@link AtomicLongArray}.
 */
final class PresenceLoad
{
    private static final byte[] USER = "\"user\":\"u".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int users;
    private final int watch;
    private final LoadStats stats;
    private final AtomicLongArray changedAtNs;
    private final boolean[] away;

    PresenceLoad(final int users, final int watch, final LoadStats stats)
    {
        this.users = users;
        this.watch = Math.min(watch, users - 1);
        this.stats = stats;
        this.changedAtNs = new AtomicLongArray(users);
        this.away = new boolean[users];
    }

    /**
     * @param user index of the watcher.
     * @return its {@code presence.watch} frame.
     */
    String watchFrame(final int user)
    {
        final List<String> names = new ArrayList<>(watch);
        for (int k = 1; k <= watch; k++)
        {
            names.add("\"u" + (user + k) % users + "\"");
        }
        return "{\"type\":\"presence.watch\",\"users\":[" + String.join(",", names) + "]}";
    }

    /**
     * Change the status of user n mod N at the intended time.
     */
    boolean change(final LoadClients clients, final long n, final long intendedNs)
    {
        final int user = (int)(n % users);
        away[user] = !away[user];
        changedAtNs.set(user, intendedNs);
        final LoadClient client = clients.clients().get(user);
        if (!client.channel().isActive())
        {
            return false;
        }
        client.sendText(away[user] ? "{\"type\":\"presence.set\",\"status\":\"away\"}" :
            "{\"type\":\"presence.set\",\"status\":\"online\"}");
        return true;
    }

    /**
     * A {@code presence} frame arrived at a watcher: record the latency of every change it reports.
     */
    void onFrame(final ByteBuf content, final long nowNs)
    {
        final int end = content.writerIndex();
        int i = content.readerIndex();
        while (i < end)
        {
            i = indexOf(content, i, end);
            if (i < 0)
            {
                return;
            }
            int user = 0;
            while (i < end && content.getByte(i) >= '0' && content.getByte(i) <= '9')
            {
                user = user * 10 + (content.getByte(i) - '0');
                i++;
            }
            if (user < users)
            {
                final long changed = changedAtNs.get(user);
                if (changed > 0)
                {
                    stats.onDelivery(changed, nowNs);
                }
            }
        }
    }

    private static int indexOf(final ByteBuf content, final int from, final int end)
    {
        for (int i = from; i <= end - USER.length; i++)
        {
            boolean match = true;
            for (int k = 0; k < USER.length && match; k++)
            {
                match = content.getByte(i + k) == USER[k];
            }
            if (match)
            {
                return i + USER.length;
            }
        }
        return -1;
    }
}
