package io.switchboard.server;

import io.switchboard.engine.shard.WaitStrategyName;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.PeerSpec;
import io.switchboard.transport.Role;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Server settings merged in the usual order of precedence: command-line flags over environment variables over the
 * configuration file over built-in defaults. Keys are the property names of {@link NodeContext} (for example
 * {@code switchboard.node.id}); an environment variable is the key upper-cased with dots as underscores
 * ({@code SWITCHBOARD_NODE_ID}).
 * <p>
 * Not thread-safe; used once at start-up.
 */
public final class ServerConfig
{
    private final Map<String, String> values = new TreeMap<>();
    private final Map<String, String> sources = new TreeMap<>();

    /**
     * @param configFile properties file, or null.
     * @param environment usually System.getenv().
     * @param flags      values given on the command line, by key.
     * @return the merged settings.
     * @throws IllegalArgumentException when the file cannot be read, naming it.
     */
    public static ServerConfig load(final Path configFile, final Map<String, String> environment, final Map<String, String> flags)
    {
        final ServerConfig config = new ServerConfig();
        if (null != configFile)
        {
            final Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile))
            {
                properties.load(reader);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read config file " + configFile + ": " + ex.getMessage(), ex);
            }
            for (final String key : properties.stringPropertyNames())
            {
                config.put(key.trim(), properties.getProperty(key).trim(), "file " + configFile);
            }
        }
        for (final String key : ALL_KEYS)
        {
            // Only known settings: other SWITCHBOARD_* variables (SWITCHBOARD_JAVA_OPTS) belong to the scripts.
            final String value = environment.get(environmentName(key));
            if (null != value)
            {
                config.put(key, value, "environment " + environmentName(key));
            }
        }
        for (final Map.Entry<String, String> entry : flags.entrySet())
        {
            if (null != entry.getValue())
            {
                config.put(entry.getKey(), entry.getValue(), "flag");
            }
        }
        return config;
    }

    private void put(final String key, final String value, final String source)
    {
        values.put(key, value);
        sources.put(key, source);
    }

    /**
     * @param key a property name such as switchboard.node.id.
     * @return its environment variable, such as SWITCHBOARD_NODE_ID.
     */
    public static String environmentName(final String key)
    {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * @param key a property name.
     * @return its value or null.
     */
    public String get(final String key)
    {
        return values.get(key);
    }

    /**
     * @param key a property name.
     * @return where its value came from (flag, environment, file ...), or "default".
     */
    public String sourceOf(final String key)
    {
        return sources.getOrDefault(key, "default");
    }

    /**
     * @return a node context with every known setting applied; unknown keys of ours are refused.
     * @throws IllegalArgumentException naming the key, its source and the problem.
     */
    public NodeContext toNodeContext()
    {
        final NodeContext context = new NodeContext();
        for (final Map.Entry<String, String> entry : values.entrySet())
        {
            final String key = entry.getKey();
            final String value = entry.getValue();
            try
            {
                apply(context, key, value);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(
                    key + " (" + sourceOf(key) + ") must be a number: '" + value + "'", ex);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(key + " (" + sourceOf(key) + "): " + ex.getMessage(), ex);
            }
        }
        return context;
    }

    private static void apply(final NodeContext context, final String key, final String value)
    {
        switch (key)
        {
            case NodeContext.NODE_ID_PROP -> context.nodeId(Integer.parseInt(value));
            case NodeContext.NODE_NAME_PROP -> context.nodeName(value);
            case NodeContext.REGION_PROP -> context.region(value);
            case NodeContext.ROLES_PROP -> context.roles(Role.parseSet(value));
            case NodeContext.LISTEN_PROP -> context.listenChannel(value);
            case NodeContext.STREAM_BASE_PROP -> context.streamBase(Integer.parseInt(value));
            case NodeContext.PEERS_PROP -> context.peers(PeerSpec.parseList(value));
            case NodeContext.AERON_DIR_PROP -> context.aeronDir(value);
            case NodeContext.DRIVER_DIR_PROP -> context.driverDir(value);
            case NodeContext.HEARTBEAT_INTERVAL_MS_PROP -> context.heartbeatIntervalMs(Long.parseLong(value));
            case NodeContext.PEER_TIMEOUT_MS_PROP -> context.peerTimeoutMs(Long.parseLong(value));
            case NodeContext.IDLE_PROP -> context.idleStrategy(value);
            case NodeContext.DRIVER_IDLE_PROP -> context.driverIdleStrategy(value);
            case NodeContext.OFFER_TIMEOUT_NS_PROP -> context.offerTimeoutNs(Long.parseLong(value));
            case NodeContext.TERM_LENGTH_PROP -> context.termLength(Integer.parseInt(value));
            case NodeContext.LINK_RTT_MS_PROP -> context.linkRttMs(Long.parseLong(value));
            case NodeContext.CHANNEL_SHARDS_PROP -> context.channelShards(Integer.parseInt(value));
            case NodeContext.PRESENCE_SHARDS_PROP -> context.presenceShards(Integer.parseInt(value));
            case NodeContext.PARTITIONS_PROP -> context.partitions(Integer.parseInt(value));
            case "switchboard.shard.wait" -> context.shardWaitStrategy(WaitStrategyName.parse(value));
            case NodeContext.ZOOKEEPER_PROP -> context.zookeeper(value);
            case NodeContext.CLUSTER_PROP -> context.cluster(value);
            case NodeContext.ZOOKEEPER_SESSION_TIMEOUT_MS_PROP -> context.zookeeperSessionTimeoutMs(Integer.parseInt(value));
            case NodeContext.PUBLIC_URL_PROP -> context.publicUrl(value);
            default ->
            {
                if (key.startsWith("switchboard.") && !OTHER_KEYS.containsKey(key))
                {
                    throw new IllegalArgumentException("unknown setting; known: " + KNOWN_KEYS);
                }
            }
        }
    }

    /** Settings read by other parts of the server (gateway, API) rather than the node context. */
    static final Map<String, String> OTHER_KEYS = Map.ofEntries(
        Map.entry(GatewayContext.HTTP_PORT_PROP, "gateway HTTP/WebSocket port"),
        Map.entry(GatewayContext.HTTP_HOST_PROP, "gateway bind address"),
        Map.entry(GatewayContext.HTTP_THREADS_PROP, "gateway event loop threads"),
        Map.entry(GatewayContext.HTTP_TRANSPORT_PROP, "event loop socket transport: auto, io_uring, epoll, nio"),
        Map.entry(GatewayContext.API_KEY_PROP, "HTTP API key"),
        Map.entry(GatewayContext.JWT_SECRET_PROP, "HS256 secret of client tokens"),
        Map.entry(GatewayContext.DEV_MODE_PROP, "dev mode (POST /api/tokens)"),
        Map.entry(GatewayContext.CONNECT_PROXY_URL_PROP, "connect proxy URL"),
        Map.entry(GatewayContext.CONNECT_PROXY_TIMEOUT_MS_PROP, "connect proxy timeout"),
        Map.entry(GatewayContext.DRAIN_URL_PROP, "gateway that drained sessions move to"),
        Map.entry(GatewayContext.DRAIN_RECONNECT_MS_PROP, "drain reconnect delay bound"),
        Map.entry(GatewayContext.DRAIN_GRACE_MS_PROP, "drain grace period"),
        Map.entry(GatewayContext.MAX_FRAME_BYTES_PROP, "largest client frame"),
        Map.entry(GatewayContext.RATE_PER_SECOND_PROP, "client frames per second"),
        Map.entry(GatewayContext.RATE_BURST_PROP, "client frame burst"),
        Map.entry(GatewayContext.FLOOD_REJECTIONS_PROP, "refused frames that close a flooding session"),
        Map.entry(GatewayContext.FLOOD_WINDOW_MS_PROP, "flood window"),
        Map.entry(GatewayContext.HIGH_WATER_MARK_PROP, "outbound bytes past which a session is a slow consumer"),
        Map.entry(GatewayContext.SLOW_CONSUMER_GRACE_MS_PROP, "time a session may stay past the high-water mark"),
        Map.entry(GatewayContext.IDLE_TIMEOUT_MS_PROP, "idle session timeout"),
        Map.entry(GatewayContext.HEARTBEAT_MS_PROP, "server heartbeat period"),
        Map.entry(GatewayContext.MAX_WATCH_USERS_PROP, "users per presence watch or query"),
        Map.entry(GatewayContext.TRANSIENT_TTL_MS_PROP, "transient event TTL"),
        Map.entry(GatewayContext.WATCH_INTERVAL_MS_PROP, "least time between two presence watches of a session"),
        Map.entry(GatewayContext.REQUEST_TIMEOUT_MS_PROP, "host request timeout"),
        Map.entry(GatewayContext.TOKEN_TTL_SECONDS_PROP, "lifetime of dev tokens"),
        Map.entry(GatewayContext.HISTORY_MAX_IN_FLIGHT_PROP, "history requests in flight"),
        Map.entry(GatewayContext.SUBSCRIBE_MAX_IN_FLIGHT_PROP, "channel subscriptions in flight to hosts"),
        Map.entry("switchboard.log.level", "log level"));

    /** Every setting the server knows. */
    static final java.util.List<String> ALL_KEYS = allKeys();

    private static java.util.List<String> allKeys()
    {
        final java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of(
            NodeContext.NODE_ID_PROP, NodeContext.NODE_NAME_PROP, NodeContext.REGION_PROP, NodeContext.ROLES_PROP,
            NodeContext.LISTEN_PROP, NodeContext.STREAM_BASE_PROP, NodeContext.PEERS_PROP, NodeContext.AERON_DIR_PROP,
            NodeContext.DRIVER_DIR_PROP, NodeContext.HEARTBEAT_INTERVAL_MS_PROP, NodeContext.PEER_TIMEOUT_MS_PROP,
            NodeContext.IDLE_PROP, NodeContext.DRIVER_IDLE_PROP, NodeContext.OFFER_TIMEOUT_NS_PROP,
            NodeContext.TERM_LENGTH_PROP, NodeContext.LINK_RTT_MS_PROP, NodeContext.CHANNEL_SHARDS_PROP, NodeContext.PRESENCE_SHARDS_PROP,
            NodeContext.PARTITIONS_PROP, "switchboard.shard.wait", NodeContext.ZOOKEEPER_PROP, NodeContext.CLUSTER_PROP,
            NodeContext.ZOOKEEPER_SESSION_TIMEOUT_MS_PROP, NodeContext.PUBLIC_URL_PROP));
        keys.addAll(new java.util.TreeSet<>(OTHER_KEYS.keySet()));
        return java.util.List.copyOf(keys);
    }

    /**
     * @return a gateway context with every gateway setting applied.
     * @throws IllegalArgumentException naming the key, its source and the problem.
     */
    public GatewayContext toGatewayContext()
    {
        final GatewayContext context = new GatewayContext();
        for (final Map.Entry<String, String> entry : values.entrySet())
        {
            final String key = entry.getKey();
            final String value = entry.getValue();
            try
            {
                applyGateway(context, key, value);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(
                    key + " (" + sourceOf(key) + ") must be a number: '" + value + "'", ex);
            }
        }
        return context;
    }

    private static void applyGateway(final GatewayContext context, final String key, final String value)
    {
        switch (key)
        {
            case GatewayContext.HTTP_HOST_PROP -> context.httpHost(value);
            case GatewayContext.HTTP_PORT_PROP -> context.httpPort(Integer.parseInt(value));
            case GatewayContext.HTTP_THREADS_PROP -> context.httpThreads(Integer.parseInt(value));
            case GatewayContext.HTTP_TRANSPORT_PROP -> context.httpTransport(value);
            case GatewayContext.API_KEY_PROP -> context.apiKey(value);
            case GatewayContext.JWT_SECRET_PROP -> context.jwtSecret(value);
            case GatewayContext.DEV_MODE_PROP -> context.devMode(parseBoolean(key, value));
            case GatewayContext.CONNECT_PROXY_URL_PROP -> context.connectProxyUrl(value);
            case GatewayContext.CONNECT_PROXY_TIMEOUT_MS_PROP -> context.connectProxyTimeoutMs(Long.parseLong(value));
            case GatewayContext.DRAIN_URL_PROP -> context.drainUrl(value);
            case GatewayContext.DRAIN_RECONNECT_MS_PROP -> context.drainReconnectMs(Long.parseLong(value));
            case GatewayContext.DRAIN_GRACE_MS_PROP -> context.drainGraceMs(Long.parseLong(value));
            case GatewayContext.MAX_FRAME_BYTES_PROP -> context.maxFrameBytes(Integer.parseInt(value));
            case GatewayContext.RATE_PER_SECOND_PROP -> context.ratePerSecond(Integer.parseInt(value));
            case GatewayContext.RATE_BURST_PROP -> context.rateBurst(Integer.parseInt(value));
            case GatewayContext.FLOOD_REJECTIONS_PROP -> context.floodRejections(Integer.parseInt(value));
            case GatewayContext.FLOOD_WINDOW_MS_PROP -> context.floodWindowMs(Long.parseLong(value));
            case GatewayContext.HIGH_WATER_MARK_PROP -> context.highWaterMarkBytes(Integer.parseInt(value));
            case GatewayContext.SLOW_CONSUMER_GRACE_MS_PROP -> context.slowConsumerGraceMs(Long.parseLong(value));
            case GatewayContext.IDLE_TIMEOUT_MS_PROP -> context.idleTimeoutMs(Long.parseLong(value));
            case GatewayContext.HEARTBEAT_MS_PROP -> context.heartbeatMs(Long.parseLong(value));
            case GatewayContext.MAX_WATCH_USERS_PROP -> context.maxWatchUsers(Integer.parseInt(value));
            case GatewayContext.TRANSIENT_TTL_MS_PROP -> context.transientTtlMs(Integer.parseInt(value));
            case GatewayContext.WATCH_INTERVAL_MS_PROP -> context.watchIntervalMs(Long.parseLong(value));
            case GatewayContext.REQUEST_TIMEOUT_MS_PROP -> context.requestTimeoutMs(Long.parseLong(value));
            case GatewayContext.TOKEN_TTL_SECONDS_PROP -> context.tokenTtlSeconds(Long.parseLong(value));
            case GatewayContext.HISTORY_MAX_IN_FLIGHT_PROP -> context.historyMaxInFlight(Integer.parseInt(value));
            case GatewayContext.SUBSCRIBE_MAX_IN_FLIGHT_PROP -> context.subscribeMaxInFlight(Integer.parseInt(value));
            default ->
            {
            }
        }
    }

    private static boolean parseBoolean(final String key, final String value)
    {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(key + " must be true or false: '" + value + "'");
    }

    private static final String KNOWN_KEYS = String.join(", ", ALL_KEYS);
}
