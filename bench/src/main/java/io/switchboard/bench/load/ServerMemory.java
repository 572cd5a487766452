package io.switchboard.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of the server process: resident set from /proc and used heap after a full GC through {@code jcmd}.
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

    /**
     * @param server a server this run started.
     * @return {rss bytes, heap used bytes after GC}; -1 where unknown.
     */
    static long[] measure(final ServerUnderTest server)
    {
        if (server.pid() < 0)
        {
            return new long[] { -1, -1 };
        }
        jcmd(server.pid(), "GC.run");
        final String info = jcmd(server.pid(), "GC.heap_info");
        return new long[] { server.rssBytes(), heapUsed(info) };
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
