package io.switchboard.gateway.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting for conditions with a deadline; a hung test fails instead of blocking, and nothing sleeps.
 */
public final class Await
{
    /** How long any wait may take. */
    public static final long DEADLINE_MS = 20_000;

    private Await()
    {
    }

    /**
     * @param condition to wait for.
     * @param what      for the failure message.
     */
    public static void until(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw new AssertionError("interrupted waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
