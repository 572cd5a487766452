package io.switchboard.gateway.support;

import io.switchboard.transport.EngineWiring;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.PeerSpec;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import org.agrona.CloseHelper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * A real node (all roles over IPC with an embedded media driver) with a gateway on a free loopback port, plus the
 * JDK HTTP client to reach it. Optionally a second, gateway-only node on the same driver with its own gateway.
 */
public final class GatewayHarness implements AutoCloseable
{
    /** API key of test gateways. */
    public static final String API_KEY = "test-api-key";
    /** JWT secret of test gateways. */
    public static final String JWT_SECRET = "test-jwt-secret-0123456789abcdef";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<AutoCloseable> gateways = new ArrayList<>();
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final SwitchboardNode node;
    /**
     * These tests do not lose peers on purpose; a loaded 2-core machine (two Chromiums, a hundred clients) can stall
     * a node's agent for longer than the 800 ms default, which must not pass for a lost host.
     */
    private static final long TEST_PEER_TIMEOUT_MS = 5_000;

    private final Gateway gateway;
    private SwitchboardNode secondNode;

    private GatewayHarness(final Consumer<NodeContext> configureNode, final Consumer<GatewayContext> configure)
    {
        final NodeContext nodeContext = new NodeContext()
            .nodeId(1)
            .nodeName("gateway-test-" + System.nanoTime())
            .peerTimeoutMs(TEST_PEER_TIMEOUT_MS);
        configureNode.accept(nodeContext);
        node = SwitchboardNode.launch(nodeContext, new EngineWiring());
        nodes.add(node);
        try
        {
            gateway = Gateway.launch(context(configure), node);
        }
        catch (final RuntimeException ex)
        {
            node.close();
            throw ex;
        }
        gateways.add(gateway);
    }

    /**
     * @param configure adjusts the gateway's settings (limits, drain URL).
     * @return a running node and gateway.
     */
    public static GatewayHarness start(final Consumer<GatewayContext> configure)
    {
        return new GatewayHarness(n -> {}, configure);
    }

    /**
     * @param configureNode adjusts the node's settings (term length, timeouts).
     * @param configure     adjusts the gateway's settings.
     * @return a running node and gateway.
     */
    public static GatewayHarness start(final Consumer<NodeContext> configureNode, final Consumer<GatewayContext> configure)
    {
        return new GatewayHarness(configureNode, configure);
    }

    /**
     * @return a running node and gateway with default limits.
     */
    public static GatewayHarness start()
    {
        return new GatewayHarness(n -> {}, c -> {});
    }

    private static GatewayContext context(final Consumer<GatewayContext> configure)
    {
        final GatewayContext context = new GatewayContext()
            .httpHost("127.0.0.1")
            .httpPort(0)
            .httpThreads(2)
            .apiKey(API_KEY)
            .jwtSecret(JWT_SECRET)
            .devMode(true);
        configure.accept(context);
        return context;
    }

    /**
     * Start a second gateway on its own gateway-only node (id 2) that reaches this node's hosts over IPC.
     *
     * @param configure adjusts its settings.
     * @return the second gateway.
     */
    public Gateway startSecondGateway(final Consumer<GatewayContext> configure)
    {
        final SwitchboardNode second = SwitchboardNode.launch(new NodeContext()
            .nodeId(2)
            .nodeName("gateway-test-2-" + System.nanoTime())
            .peerTimeoutMs(TEST_PEER_TIMEOUT_MS)
            .roles(EnumSet.of(Role.GATEWAY))
            .aeronDir(node.aeronDirectoryName())
            .peers(List.of(PeerSpec.parse("1=channel+presence@aeron:ipc"))), new EngineWiring());
        nodes.add(0, second);
        secondNode = second;
        final Gateway secondGateway = Gateway.launch(context(configure), second);
        gateways.add(0, secondGateway);
        return secondGateway;
    }

    /** @return the gateway. */
    public Gateway gateway()
    {
        return gateway;
    }

    /** @return the node. */
    public SwitchboardNode node()
    {
        return node;
    }

    /** @return the node of the second gateway, or null before {@link #startSecondGateway}. */
    public SwitchboardNode secondNode()
    {
        return secondNode;
    }

    /** @return the HTTP client. */
    public HttpClient http()
    {
        return http;
    }

    /**
     * @param user     the token's subject.
     * @param channels allowed channels.
     * @return a valid token.
     */
    public String token(final String user, final String... channels)
    {
        return gateway.tokens().issue(user, List.of(channels), 3600);
    }

    /**
     * Connect with a fresh token and wait for hello.
     *
     * @param user     who.
     * @param channels allowed channels.
     * @return the client, hello received.
     */
    public WsClient connect(final String user, final String... channels)
    {
        final WsClient client = connectWithToken(gateway, token(user, channels), true);
        client.await("hello");
        return client;
    }

    /**
     * @param target  gateway to connect to.
     * @param token   token to present (may be anything).
     * @param reading false for a client that stops reading.
     * @return the client, connected.
     */
    public WsClient connectWithToken(final Gateway target, final String token, final boolean reading)
    {
        final WsClient client = WsClient.connect(http, target.webSocketUrl() + "?token=" +
            URLEncoder.encode(token, StandardCharsets.UTF_8), reading);
        synchronized (clients)
        {
            clients.add(client);
        }
        return client;
    }

    /**
     * @param method  GET or POST.
     * @param path    e.g. /api/publish.
     * @param body    JSON body, or null.
     * @param withKey whether to send the API key.
     * @return the response.
     */
    public HttpResponse<String> http(final String method, final String path, final String body, final boolean withKey)
    {
        return http(gateway, method, path, body, withKey);
    }

    /**
     * @param target  gateway to ask.
     * @param method  GET or POST.
     * @param path    e.g. /api/publish.
     * @param body    JSON body, or null.
     * @param withKey whether to send the API key.
     * @return the response.
     */
    public HttpResponse<String> http(
        final Gateway target, final String method, final String path, final String body, final boolean withKey)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + target.port() + path)).timeout(Duration.ofSeconds(20));
        if (withKey)
        {
            request.header("Authorization", "Bearer " + API_KEY);
        }
        if ("POST".equals(method))
        {
            request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(null == body ? "" : body));
        }
        else
        {
            request.GET();
        }
        try
        {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (final Exception ex)
        {
            throw new AssertionError("HTTP " + method + " " + path + " failed", ex);
        }
    }

    /**
     * @param text JSON text.
     * @return the tree.
     */
    public static JsonNode json(final String text)
    {
        try
        {
            return MAPPER.readTree(text);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("not JSON: " + text, ex);
        }
    }

    /**
     * Close every client, then the gateways and nodes.
     */
    public void close()
    {
        synchronized (clients)
        {
            for (final WsClient client : clients)
            {
                client.close();
            }
        }
        CloseHelper.closeAll(gateways);
        CloseHelper.closeAll(nodes);
    }
}
