package io.switchboard.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of the server's processes: resident set from /proc and used heap after a full GC through {@code jcmd},
 * and the figures of summary.json's "memory" object.
 * <p>
 * Thread-safety: stateless static helpers.
 */
final class ServerMemory
{
    // G1 prints one heap line in K, ZGC one in M, Parallel one per generation: every "used" before Metaspace counts.
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

    private ServerMemory()
    {
    }

    /** One process's memory at one moment; -1 where unknown. */
    record Sample(long rssBytes, long heapUsedBytes)
    {
    }

    /**
     * @param server the server under test.
     * @return each process this run started, by role in start order (empty for an external server).
     */
    static Map<String, Sample> measure(final ServerUnderTest server)
    {
        final Map<String, Sample> samples = new LinkedHashMap<>();
        for (final ServerProcess process : server.processes)
        {
            jcmd(process.pid(), "GC.run");
            final String info = jcmd(process.pid(), "GC.heap_info");
            samples.put(process.role, new Sample(process.rssBytes(), heapUsed(info)));
        }
        return samples;
    }

    /**
     * The "memory" object of summary.json. Its unprefixed keys are the server's total (every process summed: one
     * process in the all-in-one layout, host + gateway in the split one), so older runs compare as before; with
     * more than one process each role's figures follow under its prefix ({@code host_heap_per_subscribed_channel_bytes},
     * {@code gateway_heap_per_connection_bytes}, ...).
     *
     * @param before        by role, after the connections' tokens and before connecting.
     * @param after         by role, once every connection is subscribed.
     * @param connections   connections opened in between.
     * @param subscriptions channel subscriptions made in between.
     * @return the figures, in a fixed order.
     */
    static Map<String, Object> figures(final Map<String, Sample> before, final Map<String, Sample> after,
        final long connections, final long subscriptions)
    {
        final Map<String, Object> memory = new LinkedHashMap<>();
        put(memory, "", total(before), total(after), connections, subscriptions);
        if (after.size() > 1)
        {
            for (final Map.Entry<String, Sample> role : after.entrySet())
            {
                final Sample unknown = new Sample(-1, -1);
                put(memory, role.getKey() + "_", before.getOrDefault(role.getKey(), unknown), role.getValue(),
                    connections, subscriptions);
            }
        }
        return memory;
    }

    private static void put(final Map<String, Object> memory, final String prefix, final Sample before,
        final Sample after, final long connections, final long subscriptions)
    {
        final long rss = after.rssBytes() - before.rssBytes();
        final long heap = after.heapUsedBytes() - before.heapUsedBytes();
        memory.put(prefix + "rss_before_bytes", before.rssBytes());
        memory.put(prefix + "rss_after_bytes", after.rssBytes());
        memory.put(prefix + "heap_used_before_bytes", before.heapUsedBytes());
        memory.put(prefix + "heap_used_after_bytes", after.heapUsedBytes());
        memory.put(prefix + "rss_per_connection_bytes", LoadReport.round(rss / (double)connections));
        memory.put(prefix + "heap_per_connection_bytes", LoadReport.round(heap / (double)connections));
        if (prefix.isEmpty())
        {
            memory.put("subscribed_channels", subscriptions);
        }
        memory.put(prefix + "rss_per_subscribed_channel_bytes", LoadReport.round(rss / (double)subscriptions));
        memory.put(prefix + "heap_per_subscribed_channel_bytes", LoadReport.round(heap / (double)subscriptions));
    }

    private static Sample total(final Map<String, Sample> samples)
    {
        if (samples.isEmpty())
        {
            return new Sample(-1, -1);
        }
        long rss = 0;
        long heap = 0;
        for (final Sample sample : samples.values())
        {
            rss = rss < 0 || sample.rssBytes() < 0 ? -1 : rss + sample.rssBytes();
            heap = heap < 0 || sample.heapUsedBytes() < 0 ? -1 : heap + sample.heapUsedBytes();
        }
        return new Sample(rss, heap);
    }

    /**
     * @param heapInfo output of {@code jcmd <pid> GC.heap_info}.
     * @return bytes used by the Java heap, or -1 when the output has none.
     */
    static long heapUsed(final String heapInfo)
    {
        final int metaspace = heapInfo.indexOf("Metaspace");
        final Matcher matcher = USED.matcher(metaspace < 0 ? heapInfo : heapInfo.substring(0, metaspace));
        long bytes = -1;
        while (matcher.find())
        {
            final long value = Long.parseLong(matcher.group(1));
            final long unit = switch (matcher.group(2))
            {
                case "K" -> 1L << 10;
                case "M" -> 1L << 20;
                default -> 1L << 30;
            };
            bytes = Math.max(bytes, 0) + value * unit;
        }
        return bytes;
    }

    private static String jcmd(final long pid, final String command)
    {
        try
        {
            final Process process = new ProcessBuilder("jcmd", Long.toString(pid), command)
                .redirectErrorStream(true).start();
            final StringBuilder out = new StringBuilder();
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = reader.readLine()))
                {
                    out.append(line).append('\n');
                }
            }
            process.waitFor(60, TimeUnit.SECONDS);
            return out.toString();
        }
        catch (final Exception ex)
        {
            return "";
        }
    }
}
