package io.switchboard.server.cluster;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real ZooKeeper server ({@code ZooKeeperServerMain}) as a child JVM on a fixed port, so it can be lost (killed)
 * and started again on the same data: sessions survive a restart shorter than their timeout. A child JVM rather than
 * curator-test's in-process TestingServer because the server module's test classpath has ZooKeeper (through
 * Curator) but neither curator-test nor the metrics library ZooKeeper's server needs; the latter is taken from the
 * local Maven repository for the child only.
 * <p>
 * Not thread-safe: driven by the test thread.
 */
final class ZooKeeperEnsemble implements AutoCloseable
{
    /** Libraries ZooKeeper's server loads that its pom marks "provided". */
    private static final List<String> SERVER_ONLY_LIBRARIES =
        List.of("io/dropwizard/metrics/metrics-core", "org/xerial/snappy/snappy-java");

    private final Path dataDir;
    private final int port;
    private Process process;

    private ZooKeeperEnsemble(final Path dataDir, final int port)
    {
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * @return the started server.
     * @throws Exception when it cannot start.
     */
    static ZooKeeperEnsemble start() throws Exception
    {
        final ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(Files.createTempDirectory("sb-zk"), freePort());
        ensemble.startServer();
        return ensemble;
    }

    /**
     * Start the server (again, after {@link #stopServer()}) on the same port and data; returns once it accepts
     * connections.
     *
     * @throws Exception when it cannot start.
     */
    void startServer() throws Exception
    {
        final String repository = System.getProperty("maven.repo.local",
            System.getProperty("user.home") + File.separator + ".m2" + File.separator + "repository");
        final StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (final String library : SERVER_ONLY_LIBRARIES)
        {
            classPath.append(File.pathSeparator).append(jarOf(Path.of(repository, library)));
        }
        process = new ProcessBuilder(List.of(
            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
            "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dzookeeper.admin.enableServer=false", "-Dzookeeper.4lw.commands.whitelist=*",
            "-cp", classPath.toString(), "org.apache.zookeeper.server.ZooKeeperServerMain",
            Integer.toString(port), dataDir.toString(), "500"))
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("zookeeper.log").toFile())
            .start();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NodeProcess.DEADLINE_MS);
        while (true)
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            }
            catch (final IOException notYet)
            {
                if (!process.isAlive() || System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("ZooKeeper did not start: see " + dataDir.resolve("zookeeper.log"));
                }
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Lose the server (kill -9): connections drop, nothing answers until it starts again.
     *
     * @throws InterruptedException if interrupted while it dies.
     */
    void stopServer() throws InterruptedException
    {
        if (null != process)
        {
            process.destroyForcibly();
            process.waitFor(NodeProcess.DEADLINE_MS, TimeUnit.MILLISECONDS);
            process = null;
        }
    }

    /**
     * @return host:port.
     */
    String connectString()
    {
        return "127.0.0.1:" + port;
    }

    /**
     * Stop the server.
     *
     * @throws InterruptedException if interrupted while it dies.
     */
    public void close() throws InterruptedException
    {
        stopServer();
        org.agrona.IoUtil.delete(dataDir.toFile(), true);
    }

    private static String jarOf(final Path artifact) throws IOException
    {
        try (Stream<Path> files = Files.walk(artifact))
        {
            return files.filter(file -> file.toString().endsWith(".jar")).map(Path::toString).sorted()
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("no jar under " + artifact));
        }
    }

    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
