package io.switchboard.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Who is a member of what, who publishes where, and at what offered rate over time, for each scenario.
 * <p>
 * Not thread-safe: built before the run; the picker is used by the publisher thread only.
 */
final class Workload
{
    /** Simulated working day of the day scenario: hour (8..19) to its share of the peak rate. */
    static final double[] DAY_SHAPE = { 0.10, 0.45, 0.80, 1.00, 0.55, 0.80, 1.00, 0.85, 0.70, 0.40, 0.20, 0.10 };
    static final int DAY_FIRST_HOUR = 8;

    final Map<String, List<String>> users = new LinkedHashMap<>();
    OpenLoopPublisher.Picker picker;
    DoubleUnaryOperator rateAt;
    int hours;
    int watch;

    /**
     * Chat: channels of {@code members} users each, every user in one channel; each publish goes to a random channel
     * from one of its members. Also the day scenario's membership.
     */
    static Workload chat(final int connections, final int members, final int rate)
    {
        final Workload workload = new Workload();
        final int channels = Math.max(1, connections / members);
        for (int i = 0; i < connections; i++)
        {
            workload.users.put("u" + i, List.of("c" + (i / members) % channels));
        }
        final SplittableRandom random = new SplittableRandom(42);
        workload.picker = new OpenLoopPublisher.Picker()
        {
            public int client(final long n)
            {
                final int channel = random.nextInt(channels);
                final int member = random.nextInt(members);
                return Math.min(connections - 1, channel * members + member);
            }

            public String channel(final long n, final int client)
            {
                return workload.users.get("u" + client).get(0);
            }
        };
        workload.rateAt = t -> rate;
        return workload;
    }

    /**
     * Broadcast: everyone in one channel; publishers rotate over the users.
     */
    static Workload broadcast(final int connections, final int rate)
    {
        final Workload workload = new Workload();
        for (int i = 0; i < connections; i++)
        {
            workload.users.put("u" + i, List.of("all"));
        }
        workload.picker = new OpenLoopPublisher.Picker()
        {
            public int client(final long n)
            {
                return (int)(n % connections);
            }

            public String channel(final long n, final int client)
            {
                return "all";
            }
        };
        workload.rateAt = t -> rate;
        return workload;
    }

    /**
     * Presence: every user has a channel of its own (so its session gets {@code subscribed}) and watches the next
     * {@code watch} users; the load is status changes (see {@link PresenceLoad}).
     */
    static Workload presence(final int connections, final int watch, final int rate)
    {
        final Workload workload = new Workload();
        for (int i = 0; i < connections; i++)
        {
            workload.users.put("u" + i, List.of("p" + i));
        }
        workload.picker = null;
        workload.watch = watch;
        workload.rateAt = t -> rate;
        return workload;
    }

    /**
     * Density: every connection subscribes {@code perConnection} channels of its own; publishes go to random
     * channels (one delivery each).
     */
    static Workload density(final int connections, final int perConnection, final int rate)
    {
        final Workload workload = new Workload();
        for (int i = 0; i < connections; i++)
        {
            final List<String> channels = new ArrayList<>(perConnection);
            for (int k = 0; k < perConnection; k++)
            {
                channels.add("d" + i + "-" + k);
            }
            workload.users.put("u" + i, channels);
        }
        final SplittableRandom random = new SplittableRandom(7);
        workload.picker = new OpenLoopPublisher.Picker()
        {
            private int channel;

            public int client(final long n)
            {
                channel = random.nextInt(perConnection);
                return random.nextInt(connections);
            }

            public String channel(final long n, final int client)
            {
                return "d" + client + "-" + channel;
            }
        };
        workload.rateAt = t -> rate;
        return workload;
    }

    /**
     * The day: chat membership, the offered rate follows {@link #DAY_SHAPE} (8:00 to 20:00) over the duration,
     * interpolated between hours, peak {@code rate}.
     */
    static Workload day(final int connections, final int members, final int rate, final double secondsPerHour,
        final double warmupS)
    {
        final Workload workload = chat(connections, members, rate);
        workload.hours = DAY_SHAPE.length;
        workload.rateAt = t ->
        {
            final double hour = Math.max(0, t - warmupS) / secondsPerHour;
            final int h = Math.min(DAY_SHAPE.length - 1, (int)hour);
            final int next = Math.min(DAY_SHAPE.length - 1, h + 1);
            final double f = hour - h;
            return rate * (DAY_SHAPE[h] * (1 - f) + DAY_SHAPE[next] * f);
        };
        return workload;
    }
}
