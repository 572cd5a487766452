package io.switchboard.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latency recorders shared by the generator's threads. Latency is from the INTENDED send time
 * stamped in the message (open loop), so a stalled server or generator shows up as latency rather than as fewer
 * samples (no coordinated omission). Values are microseconds.
 * <p>
 * Thread-safety: counters are atomic, {@link Recorder} is wait-free for writers; {@link #window} is set by the
 * scenario's thread before and read by the event loops after, through a volatile.
 */
final class LoadStats
{
    private static final int MAX_ERROR_KINDS = 50;
    private static final Pattern ERROR_FRAME =
        Pattern.compile("\"code\"\\s*:\\s*\"([^\"]*)\"\\s*,\\s*\"message\"\\s*:\\s*\"([^\"]*)\"");

    static final long HIGHEST_US = 3_600_000_000L;

    final LongAdder scheduled = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder measuredDelivered = new LongAdder();
    final LongAdder measuredPublished = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicLong connected = new AtomicLong();
    final AtomicLong ready = new AtomicLong();
    final AtomicLong closed = new AtomicLong();
    final Recorder interval = new Recorder(HIGHEST_US, 3);
    final Recorder measured = new Recorder(HIGHEST_US, 3);
    private final AtomicLong errorsLogged = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> errorsByKind = new ConcurrentHashMap<>();
    private volatile long measureStartNs = Long.MAX_VALUE;
    private volatile long measureEndNs = Long.MAX_VALUE;
    private volatile Recorder[] buckets;
    private long bucketNs = 1;

    /**
     * Split the measured window into equal buckets with a histogram each (the day scenario's simulated hours).
     *
     * @param count how many.
     */
    void buckets(final int count)
    {
        final Recorder[] recorders = new Recorder[count];
        for (int i = 0; i < count; i++)
        {
            recorders[i] = new Recorder(HIGHEST_US, 3);
        }
        bucketNs = Math.max(1, (measureEndNs - measureStartNs) / count);
        buckets = recorders;
    }

    Recorder[] buckets()
    {
        return buckets;
    }

    void window(final long startNs, final long endNs)
    {
        measureStartNs = startNs;
        measureEndNs = endNs;
    }

    boolean inWindow(final long intendedNs)
    {
        return intendedNs >= measureStartNs && intendedNs < measureEndNs;
    }

    /**
     * @param intendedNs when the message was meant to be sent.
     * @param nowNs      when it arrived.
     */
    void onDelivery(final long intendedNs, final long nowNs)
    {
        final long us = Math.min(HIGHEST_US, Math.max(0, (nowNs - intendedNs) / 1000));
        delivered.increment();
        interval.recordValue(us);
        if (inWindow(intendedNs))
        {
            measuredDelivered.increment();
            measured.recordValue(us);
            final Recorder[] recorders = buckets;
            if (null != recorders)
            {
                recorders[(int)Math.min(recorders.length - 1, (intendedNs - measureStartNs) / bucketNs)].recordValue(us);
            }
        }
    }

    void onError(final String what)
    {
        errors.increment();
        final String kind = kindOf(what);
        if (errorsByKind.size() < MAX_ERROR_KINDS || errorsByKind.containsKey(kind))
        {
            errorsByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }
        if (errorsLogged.incrementAndGet() <= 10)
        {
            System.out.println("load: error: " + what);
        }
    }

    /**
     * @return errors counted per kind (an error frame's code and message, without the channel or ref it named),
     * most frequent first; at most {@value #MAX_ERROR_KINDS} kinds.
     */
    Map<String, Long> errorsByKind()
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        errorsByKind.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
            .forEach(e -> counts.put(e.getKey(), e.getValue().sum()));
        return counts;
    }

    static String kindOf(final String what)
    {
        final Matcher frame = ERROR_FRAME.matcher(what);
        if (frame.find())
        {
            return frame.group(1) + ": " + frame.group(2);
        }
        // "u12: closed 1001 idle timeout" and the like: drop the user prefix.
        final String text = what.replaceFirst("^[^:\\s]+: ", "");
        return text.length() > 120 ? text.substring(0, 120) : text;
    }

    Histogram newHistogram()
    {
        return new Histogram(HIGHEST_US, 3);
    }
}
