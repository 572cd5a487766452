package io.switchboard.engine.shard;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How a shard thread waits for work. Blocking is the default because a 2-core machine shared by a gateway, a
 * media driver and shards cannot afford spinning threads; yielding or busy-spin are for latency runs on hosts
 * with a core per spinning thread.
 */
public enum WaitStrategyName
{
    /**
     * Park on a lock and condition until the producer signals: lowest CPU, highest wake-up latency.
     */
    BLOCKING,
    /**
     * Spin, then yield, then park for short periods.
     */
    SLEEPING,
    /**
     * Spin, then yield: a core is kept busy.
     */
    YIELDING,
    /**
     * Spin: a core is kept fully busy; lowest latency.
     */
    BUSY_SPIN;

    /**
     * @param name case-insensitive, '-' and '_' equivalent (busy-spin, BUSY_SPIN).
     * @return the matching strategy.
     * @throws IllegalArgumentException naming the accepted values when nothing matches.
     */
    public static WaitStrategyName parse(final String name)
    {
        final String normalised = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (final WaitStrategyName value : values())
        {
            if (value.name().equals(normalised))
            {
                return value;
            }
        }
        throw new IllegalArgumentException(
            "unknown wait strategy '" + name + "': use blocking, sleeping, yielding or busy-spin");
    }

    WaitStrategy newInstance()
    {
        switch (this)
        {
            case SLEEPING:
                return new SleepingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case BLOCKING:
            default:
                return new BlockingWaitStrategy();
        }
    }
}
