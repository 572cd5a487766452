package io.switchboard.bench.load;

import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleUnaryOperator;

/**
 * Publishes at a fixed (or scheduled) offered rate whatever the server does: the i-th message has an intended send
 * time on the schedule, carries it as its stamp ({@code ~T<nanoTime>~} then padding), and is sent as soon as the
 * thread gets to it. A generator or server stall therefore delays messages and shows as latency instead of
 * lowering the rate (no coordinated omission).
 * <p>
 * Thread-safety: runs on its own thread; {@link #stop} from any thread.
 */
final class OpenLoopPublisher implements Runnable
{
    /** Chooses who publishes the n-th message where. */
    interface Picker
    {
        /**
         * @param n the message number from 0.
         * @return index of the publishing client; the channel is {@link #channel}.
         */
        int client(long n);

        /**
         * @param n      the message number.
         * @param client the index {@link #client} returned.
         * @return the channel.
         */
        String channel(long n, int client);
    }

    private final LoadClients clients;
    private final Picker picker;
    private final DoubleUnaryOperator ratePerSecondAt;
    private final LoadStats stats;
    private final int payloadBytes;
    private final StringBuilder data = new StringBuilder(256);
    private volatile boolean running = true;
    private PresenceLoad presence;
    private final long startNs;
    private final long endNs;

    /**
     * @param clients         the connections.
     * @param picker          who publishes where.
     * @param ratePerSecondAt offered rate as a function of seconds since start.
     * @param stats           counters.
     * @param payloadBytes    message size.
     * @param startNs         first intended send time.
     * @param endNs           no message is intended at or after this.
     */
    OpenLoopPublisher(final LoadClients clients, final Picker picker, final DoubleUnaryOperator ratePerSecondAt,
        final LoadStats stats, final int payloadBytes, final long startNs, final long endNs)
    {
        this.clients = clients;
        this.picker = picker;
        this.ratePerSecondAt = ratePerSecondAt;
        this.stats = stats;
        this.payloadBytes = payloadBytes;
        this.startNs = startNs;
        this.endNs = endNs;
    }

    public void run()
    {
        long n = 0;
        long intendedNs = startNs;
        while (running && intendedNs < endNs)
        {
            final long nowNs = System.nanoTime();
            while (intendedNs <= nowNs && intendedNs < endNs)
            {
                send(n++, intendedNs);
                final double rate = Math.max(0.01, ratePerSecondAt.applyAsDouble((intendedNs - startNs) / 1e9));
                intendedNs += (long)(1e9 / rate);
            }
            final long waitNs = intendedNs - System.nanoTime();
            if (waitNs > 0)
            {
                LockSupport.parkNanos(Math.min(waitNs, 1_000_000));
            }
        }
    }

    /**
     * @param presence send status changes instead of publishes.
     */
    void presence(final PresenceLoad presence)
    {
        this.presence = presence;
    }

    void stop()
    {
        running = false;
    }

    private void send(final long n, final long intendedNs)
    {
        stats.scheduled.increment();
        if (stats.inWindow(intendedNs))
        {
            stats.measuredPublished.increment();
        }
        if (null != presence)
        {
            if (presence.change(clients, n, intendedNs))
            {
                stats.sent.increment();
            }
            return;
        }
        final int index = picker.client(n);
        final LoadClient client = clients.clients().get(index);
        data.setLength(0);
        data.append("~T").append(intendedNs).append('~');
        while (data.length() < payloadBytes)
        {
            data.append('x');
        }
        if (client.publish(picker.channel(n, index), data))
        {
            stats.sent.increment();
        }
        else
        {
            stats.onError(client.user + ": publish on a closed connection");
        }
    }
}
