package io.switchboard.bench.regions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One process of the regions scenario (usually {@code ip netns exec <ns> java ...}): its output goes to a log file,
 * the lines of the scenario's conversation ({@code READY}, {@code PUBLISHED}, {@code DONE}, {@code error}) also to
 * the console and to {@link #await}; commands go to its stdin.
 * <p>
 * Thread-safety: driven by the scenario's thread; a pump thread per process reads its output.
 */
final class ChildProcess implements AutoCloseable
{
    private static final String EXIT = "\u0000EXIT ";

    private final String name;
    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;
    private Thread pump;

    private ChildProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static ChildProcess start(final String name, final List<String> command, final Path log, final PrintStream console)
        throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final ChildProcess child = new ChildProcess(name, process, log);
        child.pump = new Thread(() -> child.pump(console), "output-" + name);
        child.pump.setDaemon(true);
        child.pump.start();
        return child;
    }

    private void pump(final PrintStream console)
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                file.println(line);
                file.flush();
                if (line.startsWith("READY") || line.startsWith("PUBLISHED") || line.startsWith("DONE")
                    || line.startsWith("error") || line.startsWith("relay: forwarded"))
                {
                    console.println("[" + name + "] " + line);
                    lines.add(line);
                }
            }
        }
        catch (final IOException ex)
        {
            console.println("[" + name + "] output lost: " + ex);
        }
        try
        {
            lines.add(EXIT + process.waitFor());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param prefix    of the line to wait for.
     * @param timeoutMs how long to wait.
     * @return the line.
     * @throws IllegalStateException when the process exits first or the time runs out, naming its log.
     */
    String await(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true)
        {
            final String line = lines.poll(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (null == line)
            {
                throw new IllegalStateException(name + " did not print " + prefix.trim() + " within " + timeoutMs
                    + " ms (log: " + log + ")");
            }
            if (line.startsWith(EXIT))
            {
                throw new IllegalStateException(name + " exited with code " + line.substring(EXIT.length())
                    + " before printing " + prefix.trim() + " (log: " + log + ")");
            }
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
    }

    void send(final String line)
    {
        stdin.println(line);
    }

    boolean awaitExit(final long timeoutMs) throws InterruptedException
    {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    Path log()
    {
        return log;
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * SIGTERM (the process closes its node and driver), then SIGKILL if it is still there after 10 s.
     */
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            // Through the handle: Process.destroy() would also close our end of its output and lose its last lines.
            process.toHandle().destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        stdin.close();
        pump.join(5_000);
    }
}
