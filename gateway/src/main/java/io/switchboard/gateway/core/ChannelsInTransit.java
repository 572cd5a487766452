package io.switchboard.gateway.core;

import org.agrona.collections.Hashing;
import org.agrona.collections.Object2LongHashMap;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * What only a channel in transit needs — its subscribe request in flight, when a refused subscription may be tried
 * again, the subscribe batches waiting for the host's answer — kept beside the channels rather than in every
 * {@link LocalChannel}, so a settled channel costs nothing here. Keyed by identity: a channel dropped and made again
 * under the same name is another key. A table emptied after a burst (or an outage) gives its memory back.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class ChannelsInTransit
{
    /** {@link #retryAt} of a channel with no retry time: it may be tried at once. */
    static final long NO_RETRY_TIME = Long.MIN_VALUE;
    /** A table emptied after it grew past this many slots gives its memory back. */
    static final int COMPACT_ABOVE_CAPACITY = 4096;

    private final Object2LongHashMap<LocalChannel> requestIds =
        new Object2LongHashMap<>(64, Hashing.DEFAULT_LOAD_FACTOR, 0L);
    private final Object2LongHashMap<LocalChannel> retryTimes =
        new Object2LongHashMap<>(64, Hashing.DEFAULT_LOAD_FACTOR, NO_RETRY_TIME);
    private final Object2ObjectHashMap<LocalChannel, List<SubscribeBatch>> waiting =
        new Object2ObjectHashMap<>(64, Hashing.DEFAULT_LOAD_FACTOR, false);

    /**
     * @return the correlation id of the channel's subscribe request in flight, or 0 when none is.
     */
    long requestId(final LocalChannel channel)
    {
        return requestIds.getValue(channel);
    }

    void requestSent(final LocalChannel channel, final long correlationId)
    {
        requestIds.put(channel, correlationId);
    }

    void requestDone(final LocalChannel channel)
    {
        requestIds.removeKey(channel);
    }

    /**
     * @return when the channel may be tried again ({@link System#nanoTime()}), or {@link #NO_RETRY_TIME}.
     */
    long retryAt(final LocalChannel channel)
    {
        return retryTimes.getValue(channel);
    }

    void retryAt(final LocalChannel channel, final long nanoTime)
    {
        retryTimes.put(channel, nanoTime);
    }

    /**
     * The channel is subscribing afresh, or gone: no request in flight, no retry time.
     */
    void forget(final LocalChannel channel)
    {
        requestIds.removeKey(channel);
        if (NO_RETRY_TIME != retryTimes.removeKey(channel) && retryTimes.isEmpty() &&
            retryTimes.capacity() > COMPACT_ABOVE_CAPACITY)
        {
            retryTimes.compact();
        }
    }

    void addWaiting(final LocalChannel channel, final SubscribeBatch batch)
    {
        waiting.computeIfAbsent(channel, c -> new ArrayList<>(1)).add(batch);
    }

    /**
     * @return the batches waiting for the channel's answer; read only.
     */
    List<SubscribeBatch> waiting(final LocalChannel channel)
    {
        return waiting.getOrDefault(channel, List.of());
    }

    /**
     * @return the batches that were waiting for the channel's answer, which no longer wait: the caller answers them.
     */
    List<SubscribeBatch> takeWaiting(final LocalChannel channel)
    {
        final List<SubscribeBatch> taken = waiting.remove(channel);
        if (null == taken)
        {
            return List.of();
        }
        if (waiting.isEmpty() && waiting.capacity() > COMPACT_ABOVE_CAPACITY)
        {
            // A burst of subscriptions (or a lost host) can leave millions waiting at once; a table sized for that
            // would otherwise stay at its peak for the gateway's life.
            waiting.compact();
        }
        return taken;
    }
}
