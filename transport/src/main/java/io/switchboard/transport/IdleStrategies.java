package io.switchboard.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;

/**
 * Idle strategies by name, for agents and the embedded driver. Backoff is the default: on a 2-core machine a
 * spinning agent starves the media driver (see shared/BASELINES.md); yielding suits latency runs over UDP, busy-spin
 * only hosts with a core per spinning thread.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * @param name backoff, sleeping, yielding or busy-spin.
     * @return a new strategy instance (they hold per-thread state, so never share one).
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static IdleStrategy newInstance(final String name)
    {
        switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-'))
        {
            case "backoff":
                return new BackoffIdleStrategy(64, 16, 1_000, 1_000_000);
            case "sleeping":
                return new SleepingMillisIdleStrategy(1);
            case "yielding":
                return new YieldingIdleStrategy();
            case "busy-spin":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException(
                    "unknown idle strategy '" + name + "': use backoff, sleeping, yielding or busy-spin");
        }
    }
}
