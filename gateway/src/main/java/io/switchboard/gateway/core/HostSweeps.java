package io.switchboard.gateway.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Work over every channel of one host (its loss, its return), done {@link #BATCH} channels per command on the core's
 * thread. A host may own millions of a gateway's channels; done in one go, the work kept the node agent from
 * reading and heartbeating for seconds, and the busy gateway was declared lost in turn. The channels are gathered
 * when the work is queued; each is looked at again when its turn comes, since it may have moved or gone meanwhile.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class HostSweeps
{
    /** Channels handled per command on the core's thread. */
    static final int BATCH = 4096;

    private final Predicate<Runnable> later;
    private final ArrayDeque<Sweep> sweeps = new ArrayDeque<>();
    private boolean stalled;

    /**
     * @param later queues a command on the core's thread; false when its queue is full.
     */
    HostSweeps(final Predicate<Runnable> later)
    {
        this.later = later;
    }

    /**
     * @param host     the host whose channels these are.
     * @param channels the channels, gathered now; owned by this from here on.
     * @param action   applied to each channel in its turn, if it still belongs to {@code host} (the caller checks
     *                 anything else).
     */
    void queue(final int host, final ArrayList<LocalChannel> channels, final Consumer<LocalChannel> action)
    {
        if (!channels.isEmpty())
        {
            sweeps.addLast(new Sweep(host, channels, action));
            next();
        }
    }

    /**
     * Go on after a full command queue stopped the chain; call every tick.
     */
    void resumeIfStalled()
    {
        if (stalled)
        {
            stalled = false;
            next();
        }
    }

    private void next()
    {
        int budget = BATCH;
        while (budget > 0 && !sweeps.isEmpty())
        {
            final Sweep sweep = sweeps.peekFirst();
            while (budget > 0 && sweep.next < sweep.channels.size())
            {
                final LocalChannel channel = sweep.channels.get(sweep.next);
                sweep.channels.set(sweep.next++, null);
                budget--;
                if (channel.host == sweep.host)
                {
                    sweep.action.accept(channel);
                }
            }
            if (sweep.next == sweep.channels.size())
            {
                sweeps.pollFirst();
            }
        }
        if (!sweeps.isEmpty() && !later.test(this::next))
        {
            stalled = true; // the command queue is full: the next tick goes on
        }
    }

    private static final class Sweep
    {
        final int host;
        final ArrayList<LocalChannel> channels;
        final Consumer<LocalChannel> action;
        int next;

        Sweep(final int host, final ArrayList<LocalChannel> channels, final Consumer<LocalChannel> action)
        {
            this.host = host;
            this.channels = channels;
            this.action = action;
        }
    }
}
