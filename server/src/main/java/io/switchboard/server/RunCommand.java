package io.switchboard.server;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.transport.EngineWiring;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code switchboard run}: start the roles of one node and run until SIGTERM or Ctrl-C, then stop gracefully.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Start a Switchboard node. With no options: all roles in one JVM over Aeron IPC with an embedded media",
        "driver. Settings come from flags, then SWITCHBOARD_* environment variables, then --config, then defaults." })
final class RunCommand implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of switchboard.* settings.")
    Path configFile;

    @Option(names = "--roles", paramLabel = "ROLES",
        description = "Roles of this node: gateway, channel, presence, api or all (comma-separated). Default: all.")
    String roles;

    @Option(names = "--node-id", paramLabel = "ID", description = "Cluster-unique node id. Default: 1.")
    Integer nodeId;

    @Option(names = "--name", paramLabel = "NAME", description = "Node name for logs. Default: node-<id>.")
    String name;

    @Option(names = "--region", paramLabel = "REGION", description = "Region of this node. Default: local.")
    String region;

    @Option(names = "--listen", paramLabel = "AERON_URI",
        description = "Aeron channel this node receives on. Default: aeron:ipc. Across processes: "
            + "aeron:udp?endpoint=HOST:PORT with an address peers can reach.")
    String listen;

    @Option(names = "--peer", paramLabel = "ID=ROLES@AERON_URI",
        description = "A static peer, repeatable: e.g. --peer 2=channel@aeron:udp?endpoint=10.0.0.2:40100")
    List<String> peers;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT[,...]",
        description = "Join a cluster through ZooKeeper: register this node and place work on live members.")
    String zookeeper;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Cluster name in ZooKeeper. Default: default.")
    String cluster;

    @Option(names = "--public-url", paramLabel = "URL",
        description = "Public WebSocket URL of this node's gateway (sent to clients as a drain target).")
    String publicUrl;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Attach to an external media driver in DIR instead of embedding one.")
    String aeronDir;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "Idle strategy of the node agent: backoff (default), sleeping, yielding, busy-spin.")
    String idle;

    @Option(names = "--shard-wait", paramLabel = "STRATEGY",
        description = "Wait strategy of shard threads: blocking (default), sleeping, yielding, busy-spin.")
    String shardWait;

    @Option(names = "--channel-shards", paramLabel = "N", description = "Channel shards. Default: 2.")
    Integer channelShards;

    @Option(names = "--presence-shards", paramLabel = "N", description = "Presence shards. Default: 1.")
    Integer presenceShards;

    @Option(names = "--port", paramLabel = "PORT",
        description = "Gateway HTTP/WebSocket port (gateway role), bound on switchboard.http.host "
            + "(127.0.0.1 by default). Default: 8080.")
    Integer port;

    @Option(names = "--api-key", paramLabel = "KEY", description = "HTTP API key. Default: generated and printed.")
    String apiKey;

    private static boolean servesGateway(final NodeContext context)
    {
        return context.roles().contains(Role.GATEWAY) || context.roles().contains(Role.API);
    }

    public Integer call()
    {
        final Map<String, String> flags = new LinkedHashMap<>();
        flags.put(NodeContext.ROLES_PROP, roles);
        flags.put(NodeContext.NODE_ID_PROP, null == nodeId ? null : nodeId.toString());
        flags.put(NodeContext.NODE_NAME_PROP, name);
        flags.put(NodeContext.REGION_PROP, region);
        flags.put(NodeContext.LISTEN_PROP, listen);
        flags.put(NodeContext.PEERS_PROP, null == peers ? null : String.join(";", peers));
        flags.put(NodeContext.AERON_DIR_PROP, aeronDir);
        flags.put(NodeContext.ZOOKEEPER_PROP, zookeeper);
        flags.put(NodeContext.CLUSTER_PROP, cluster);
        flags.put(NodeContext.PUBLIC_URL_PROP, publicUrl);
        flags.put(NodeContext.IDLE_PROP, idle);
        flags.put("switchboard.shard.wait", shardWait);
        flags.put(NodeContext.CHANNEL_SHARDS_PROP, null == channelShards ? null : channelShards.toString());
        flags.put(NodeContext.PRESENCE_SHARDS_PROP, null == presenceShards ? null : presenceShards.toString());
        flags.put(GatewayContext.HTTP_PORT_PROP, null == port ? null : port.toString());
        flags.put(GatewayContext.API_KEY_PROP, apiKey);

        final NodeContext context;
        final GatewayContext gatewayContext;
        try
        {
            final ServerConfig config = ServerConfig.load(configFile, System.getenv(), flags);
            context = config.toNodeContext().conclude();
            gatewayContext = config.toGatewayContext();
            if (servesGateway(context))
            {
                gatewayContext.conclude();
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("switchboard: " + ex.getMessage());
            return 2;
        }

        final SwitchboardNode node = SwitchboardNode.launch(context, new EngineWiring());
        final Gateway gateway;
        try
        {
            gateway = servesGateway(context) ? Gateway.launch(gatewayContext, node) : null;
        }
        catch (final RuntimeException ex)
        {
            System.err.println("switchboard: gateway did not start: " + ex.getMessage() +
                (null == ex.getCause() ? "" : " (" + ex.getCause().getMessage() + ")"));
            node.close();
            return 1;
        }
        if (null != gateway)
        {
            final String base = "http://" + gatewayContext.httpHost() + ":" + gateway.port();
            System.out.println("switchboard: gateway at " + base + "  (WebSocket " + gateway.webSocketUrl() + ")");
            if (gatewayContext.apiKeyGenerated())
            {
                System.out.println("switchboard: API key (generated; pass --api-key to choose one): " +
                    gatewayContext.apiKey());
            }
            if (gatewayContext.devMode())
            {
                System.out.println("switchboard: demo page: " + base + "/  (open it in two windows)");
                System.out.println("switchboard: dev mode: curl -H 'Authorization: Bearer <api key>' -d " +
                    "'{\"user\":\"alice\",\"channels\":[\"general\"]}' " + base + "/api/tokens");
            }
        }
        LOG.info("Aeron driver directory {} (counters: ./switchboard stat --aeron-dir {})",
            node.aeronDirectoryName(), node.aeronDirectoryName());

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            LOG.info("shutdown requested: draining and stopping");
            if (null != gateway)
            {
                gateway.drainAndClose("server shutting down");
            }
            node.close();
            stopped.countDown();
        }, "switchboard-shutdown"));

        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
