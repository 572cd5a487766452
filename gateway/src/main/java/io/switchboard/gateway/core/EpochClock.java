package io.switchboard.gateway.core;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * Wall-clock nanoseconds since the Unix epoch with nanosecond resolution and no allocation, for publish timestamps
 * and the publish-to-deliver latency measured against them.
 * <p>
 * Thread-safe.
 */
public final class EpochClock
{
    private static final EpochNanoClock CLOCK = new OffsetEpochNanoClock();

    private EpochClock()
    {
    }

    /**
     * @return nanoseconds since the Unix epoch.
     */
    public static long nanos()
    {
        return CLOCK.nanoTime();
    }
}
