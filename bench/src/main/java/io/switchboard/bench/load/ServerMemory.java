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
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

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
        final Matcher matcher = USED.matcher(info);
        final long heap = matcher.find() ? Long.parseLong(matcher.group(1)) * 1024 : -1;
        return new long[] { server.rssBytes(), heap };
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
