package io.switchboard.server.cluster;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real ZooKeeper in the test JVM: one server, or a quorum of three whose members can be stopped one by one. Built
 * on ZooKeeper's own embedding API because the server module's test classpath has ZooKeeper (through Curator) but
 * not curator-test's TestingServer.
 * <p>
 * Not thread-safe: driven by the test thread.
 */
final class ZooKeeperEnsemble implements AutoCloseable
{
    private final List<ZooKeeperServerEmbedded> servers = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final Path baseDir;

    private ZooKeeperEnsemble(final Path baseDir)
    {
        this.baseDir = baseDir;
    }

    /**
     * @param size 1 or 3 servers.
     * @return the started ensemble.
     * @throws Exception when a server cannot start.
     */
    static ZooKeeperEnsemble start(final int size) throws Exception
    {
        final ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(Files.createTempDirectory("sb-zk"));
        final int[][] ports = new int[size][3];
        for (final int[] serverPorts : ports)
        {
            for (int i = 0; i < 3; i++)
            {
                serverPorts[i] = freePort();
            }
        }
        for (int id = 1; id <= size; id++)
        {
            final Path dir = ensemble.baseDir.resolve("server-" + id);
            final Path data = Files.createDirectories(dir.resolve("data"));
            final Properties config = new Properties();
            config.setProperty("tickTime", "200");
            config.setProperty("initLimit", "50");
            config.setProperty("syncLimit", "25");
            config.setProperty("dataDir", data.toString());
            config.setProperty("clientPort", Integer.toString(ports[id - 1][0]));
            config.setProperty("clientPortAddress", "127.0.0.1");
            config.setProperty("admin.enableServer", "false");
            config.setProperty("4lw.commands.whitelist", "*");
            // Sessions of at least 2 ticks are allowed: nodes ask for a short one so a dead node leaves quickly.
            config.setProperty("minSessionTimeout", "400");
            if (size > 1)
            {
                Files.writeString(data.resolve("myid"), Integer.toString(id));
                for (int other = 1; other <= size; other++)
                {
                    config.setProperty("server." + other, "127.0.0.1:" + ports[other - 1][1] + ":" +
                        ports[other - 1][2]);
                }
            }
            ensemble.clientPorts.add(ports[id - 1][0]);
            ensemble.servers.add(ZooKeeperServerEmbedded.builder()
                .baseDir(dir)
                .configuration(config)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build());
        }
        for (final ZooKeeperServerEmbedded server : ensemble.servers)
        {
            server.start();
        }
        return ensemble;
    }

    /**
     * @return host:port,... of every server, started or not.
     */
    String connectString()
    {
        final List<String> hosts = new ArrayList<>();
        for (final int port : clientPorts)
        {
            hosts.add("127.0.0.1:" + port);
        }
        return String.join(",", hosts);
    }

    /**
     * @param index of the server to stop, from 0.
     */
    void stop(final int index)
    {
        servers.get(index).close();
    }

    /**
     * Stop every server.
     */
    public void close()
    {
        for (final ZooKeeperServerEmbedded server : servers)
        {
            server.close();
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
