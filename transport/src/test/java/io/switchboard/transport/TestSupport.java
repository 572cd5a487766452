package io.switchboard.transport;

import io.switchboard.transport.client.SwitchboardClient;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.function.BooleanSupplier;

/**
 * Helpers for transport tests: free ports and polling with a deadline (never a sleep).
 */
final class TestSupport
{
    static final long DEADLINE_MS = 20_000;

    private TestSupport()
    {
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static String udp(final int port)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + port;
    }

    /**
     * Poll the client until the condition holds, failing the test at the deadline or on interrupt.
     */
    static void pollUntil(final SwitchboardClient client, final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
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
            if (0 == client.poll())
            {
                Thread.yield();
            }
        }
    }

    static void awaitCondition(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
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
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
