package io.switchboard.server.cluster;

import io.switchboard.server.SwitchboardMain;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Switchboard node as a separate JVM, started through {@code SwitchboardMain run} exactly as an operator would,
 * with its output written to {@code target/cluster-logs/<name>-<pid>.log} and kept so a test can wait for a log
 * line.
 * <p>
 * Thread-safe: output arrives on a pump thread; waits happen on the test thread.
 */
final class NodeProcess implements AutoCloseable
{
    static final long DEADLINE_MS = 30_000;
    static final String API_KEY = "cluster-test-key";
    /** Each node's output goes to its own file here (not to the test's output, which surefire relays). */
    static final Path LOG_DIR = Path.of("target", "cluster-logs");

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final int httpPort;
    private boolean exited;

    private NodeProcess(final String name, final Process process, final int httpPort)
    {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * @param nodeId    node id, also its name's suffix.
     * @param roles     e.g. "channel" or "gateway,api".
     * @param region    its region.
     * @param zookeeper ZooKeeper connect string.
     * @return the started node, once it logged that it is up (and, for a gateway, that it listens).
     * @throws Exception when it does not start in time.
     */
    static NodeProcess start(final int nodeId, final String roles, final String region, final String zookeeper)
        throws Exception
    {
        final boolean gateway = roles.contains("gateway");
        final int httpPort = gateway ? ZooKeeperEnsemble.freePort() : 0;
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.util.zip=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SwitchboardMain.class.getName());
        command.add("run");
        command.add("--roles");
        command.add(roles);
        command.add("--node-id");
        command.add(Integer.toString(nodeId));
        command.add("--name");
        command.add("n" + nodeId);
        command.add("--region");
        command.add(region);
        command.add("--listen");
        command.add("aeron:udp?endpoint=127.0.0.1:" + freeUdpPort());
        command.add("--zookeeper");
        command.add(zookeeper);
        command.add("--cluster");
        command.add("test");
        command.add("--channel-shards");
        command.add("1");
        if (gateway)
        {
            command.add("--port");
            command.add(Integer.toString(httpPort));
            command.add("--api-key");
            command.add(API_KEY);
            command.add("--public-url");
            command.add("ws://127.0.0.1:" + httpPort + "/ws");
        }
        Files.createDirectories(LOG_DIR);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_LOG_LEVEL", "INFO");
        // The test's one publisher session sends in bursts when this shared machine stalls it; the per-session
        // rate limit is the gateway's business, not what these tests measure.
        builder.environment().put("SWITCHBOARD_WS_RATEPERSECOND", "100000");
        builder.environment().put("SWITCHBOARD_WS_RATEBURST", "100000");
        final NodeProcess node = new NodeProcess("n" + nodeId, builder.start(), httpPort);
        node.pump();
        node.awaitLine(gateway ? "switchboard: gateway at" : "(id " + nodeId + ") up");
        return node;
    }

    private void pump()
    {
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter log = new PrintWriter(Files.newBufferedWriter(LOG_DIR.resolve(
                    name + "-" + process.pid() + ".log"), StandardCharsets.UTF_8), true))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    log.println(line);
                    synchronized (this)
                    {
                        lines.add(line);
                        notifyAll();
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process is gone
            }
            synchronized (this)
            {
                exited = true;
                notifyAll();
            }
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * @param fragment text a log line contains.
     * @return the first such line, waiting for it.
     */
    synchronized String awaitLine(final String fragment)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        int seen = 0;
        while (true)
        {
            for (; seen < lines.size(); seen++)
            {
                if (lines.get(seen).contains(fragment))
                {
                    return lines.get(seen);
                }
            }
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            if (exited || leftMs <= 0)
            {
                throw new AssertionError(name + (exited ? " exited" : " timed out") + " waiting for a line with '" +
                    fragment + "'");
            }
            try
            {
                wait(leftMs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
        }
    }

    /**
     * @return lines logged so far.
     */
    synchronized int lineCount()
    {
        return lines.size();
    }

    /**
     * @param fragment text a log line contains.
     * @param from     first line index to look at.
     * @return true when a line from there on contains it.
     */
    synchronized boolean hasLineSince(final String fragment, final int from)
    {
        for (int i = from; i < lines.size(); i++)
        {
            if (lines.get(i).contains(fragment))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the gateway's HTTP base URL.
     */
    String httpBase()
    {
        return "http://127.0.0.1:" + httpPort;
    }

    /**
     * @return the gateway's WebSocket URL, as it announces it in ZooKeeper.
     */
    String webSocketUrl()
    {
        return "ws://127.0.0.1:" + httpPort + "/ws";
    }

    /**
     * kill -9: no shutdown hook, no ZooKeeper goodbye.
     *
     * @throws InterruptedException if interrupted while waiting for it to die.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * SIGTERM: the node drains, deregisters and stops.
     *
     * @throws InterruptedException if interrupted while waiting for it to stop.
     */
    void stop() throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
        }
    }

    /**
     * Kill whatever is left and remove the node's Aeron directory, which a killed node cannot remove itself.
     */
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        final File shm = new File("/dev/shm");
        final File base = shm.isDirectory() && shm.canWrite() ? shm : new File(System.getProperty("java.io.tmpdir"));
        org.agrona.IoUtil.delete(new File(base, "switchboard-" + name + "-" + process.pid()), true);
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
