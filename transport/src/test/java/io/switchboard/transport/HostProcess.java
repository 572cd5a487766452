package io.switchboard.transport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link ChannelHostProcess} as a separate JVM and waits for it to listen.
 */
final class HostProcess implements AutoCloseable
{
    private final Process process;

    private HostProcess(final Process process)
    {
        this.process = process;
    }

    static HostProcess start(final int nodeId, final int port) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.util.zip=ALL-UNNAMED");
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChannelHostProcess.class.getName());
        command.add(Integer.toString(nodeId));
        command.add(Integer.toString(port));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();

        final BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        final Thread pump = new Thread(() ->
        {
            try
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    System.out.println("[host " + nodeId + "] " + line);
                    if (line.startsWith("READY"))
                    {
                        ready.complete(Boolean.TRUE);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // process gone
            }
            ready.complete(Boolean.FALSE);
        }, "host-" + nodeId + "-output");
        pump.setDaemon(true);
        pump.start();

        if (!ready.get(TestSupport.DEADLINE_MS, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("channel host process exited before it was ready");
        }
        return new HostProcess(process);
    }

    /**
     * Like kill -9: no shutdown hook, no goodbye.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(TestSupport.DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    public void close() throws Exception
    {
        if (process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
    }
}
