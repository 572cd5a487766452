package io.switchboard.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code --layout split}: the server as the two processes of a real deployment on one machine, so the memory of
 * each role can be read apart (docs/operations.md, "Per role"):
 * <pre>
 *   switchboard run --roles channel,presence --node-id 1 --name host --listen aeron:udp?endpoint=127.0.0.1:H
 *   switchboard run --roles gateway,api --node-id 101 --name gateway --port P --api-key K
 *       --listen aeron:udp?endpoint=127.0.0.1:G --peer 1=channel+presence@aeron:udp?endpoint=127.0.0.1:H
 * </pre>
 * Each gets the heap and JVM flags an all-in-one server would get, and logs to host.log and gateway.log. The server
 * is ready once the gateway listens and each process has logged the other's first heartbeat ("peer up"), so the
 * first subscription finds its host.
 * <p>
 * Thread-safety: stateless static helper, called from the scenario's thread.
 */
final class SplitLayout
{
    static final int HOST_NODE_ID = 1;
    static final int GATEWAY_NODE_ID = 101;
    private static final long READY_TIMEOUT_MS = 60_000;

    private SplitLayout()
    {
    }

    static ServerUnderTest start(final String heap, final String opts, final Path dir)
        throws IOException, InterruptedException
    {
        final String hostChannel = "aeron:udp?endpoint=127.0.0.1:" + ServerUnderTest.freeUdpPort();
        final String gatewayChannel = "aeron:udp?endpoint=127.0.0.1:" + ServerUnderTest.freeUdpPort();
        final int port = ServerUnderTest.freePort();
        final String apiKey = "bench-" + UUID.randomUUID();

        final List<String> hostCommand = ServerUnderTest.switchboardCommand(heap, opts);
        hostCommand.addAll(List.of("--roles", "channel,presence", "--node-id", Integer.toString(HOST_NODE_ID),
            "--name", "host", "--listen", hostChannel));
        final List<String> gatewayCommand = ServerUnderTest.switchboardCommand(heap, opts);
        gatewayCommand.addAll(List.of("--roles", "gateway,api", "--node-id", Integer.toString(GATEWAY_NODE_ID),
            "--name", "gateway", "--port", Integer.toString(port), "--api-key", apiKey, "--listen", gatewayChannel,
            "--peer", HOST_NODE_ID + "=channel+presence@" + hostChannel));

        final List<ServerProcess> started = new ArrayList<>(2);
        try
        {
            System.out.println("load: host: " + String.join(" ", hostCommand));
            final ServerProcess host = ServerProcess.start("host", hostCommand, dir.resolve("host.log"));
            started.add(host);
            host.awaitLog("(id " + HOST_NODE_ID + ") up", READY_TIMEOUT_MS);

            System.out.println("load: gateway: " + String.join(" ", gatewayCommand).replace(apiKey, "<key>"));
            final ServerProcess gateway = ServerProcess.start("gateway", gatewayCommand, dir.resolve("gateway.log"));
            started.add(gateway);
            gateway.awaitLog("switchboard: gateway at", READY_TIMEOUT_MS);
            gateway.awaitLog("peer up: host (id " + HOST_NODE_ID + ",", READY_TIMEOUT_MS);
            host.awaitLog("peer up: gateway (id " + GATEWAY_NODE_ID + ",", READY_TIMEOUT_MS);

            return new ServerUnderTest(started, "http://127.0.0.1:" + port, "ws://127.0.0.1:" + port + "/ws", apiKey,
                "switchboard split: host pid " + host.pid() + " (channel,presence), gateway pid " + gateway.pid() +
                " (gateway,api), Aeron UDP on loopback, each " + heap + " " + opts);
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            new ServerUnderTest(started, null, null, null, "failed split start").close();
            throw ex;
        }
    }
}
