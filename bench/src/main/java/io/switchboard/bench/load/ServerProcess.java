package io.switchboard.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the server under test (the all-in-one server, the split layout's channel host or gateway, or
 * nats-server), its output in a log file of the results directory; reads its resident memory and CPU time from
 * /proc.
 * <p>
 * Thread-safety: driven by the scenario's thread.
 */
final class ServerProcess
{
    /** What it is in the run: "server", "host", "gateway" or "nats"; also the prefix of its memory keys. */
    final String role;
    final Path log;
    private final Process process;

    private ServerProcess(final String role, final Process process, final Path log)
    {
        this.role = role;
        this.process = process;
        this.log = log;
    }

    /**
     * @param role    what it is in the run.
     * @param command the command line.
     * @param log     where its output (stdout and stderr) goes.
     * @return the started process.
     */
    static ServerProcess start(final String role, final List<String> command, final Path log) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        return new ServerProcess(role, process, log);
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Wait until the log holds a line, failing (and killing the process) when it exits first or the deadline passes.
     *
     * @param text      text the log must contain.
     * @param timeoutMs how long to wait.
     */
    void awaitLog(final String text, final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            if (Files.exists(log) && Files.readString(log).contains(text))
            {
                return;
            }
            if (!process.isAlive())
            {
                throw new IllegalStateException(role + " exited with " + process.exitValue() + " (log: " + log + ")");
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException(role + " did not print '" + text + "' in " + timeoutMs + " ms (log: " + log +
            ")");
    }

    /**
     * @return resident set size in bytes, or -1 when not known.
     */
    long rssBytes()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (final IOException | NumberFormatException ignore)
        {
            // the process is gone
        }
        return -1;
    }

    /**
     * @return CPU seconds (user + system) used so far, or -1 when not known.
     */
    double cpuSeconds()
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * Ask it to stop (SIGTERM: a Switchboard node drains and stops its driver); {@link #awaitStopped} waits.
     */
    void stop()
    {
        process.destroy();
    }

    /**
     * Wait for it to exit after {@link #stop}, killing it after 15 s.
     */
    void awaitStopped() throws InterruptedException
    {
        if (!process.waitFor(15, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
