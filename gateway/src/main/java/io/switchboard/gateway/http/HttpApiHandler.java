package io.switchboard.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.gateway.GatewayMetrics;
import io.switchboard.gateway.auth.TokenService;
import io.switchboard.gateway.core.GatewayCore;
import io.switchboard.gateway.json.Names;
import io.switchboard.gateway.session.ClientRequestParser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.switchboard.gateway.http.ApiArguments.body;
import static io.switchboard.gateway.http.ApiArguments.name;
import static io.switchboard.gateway.http.ApiArguments.names;
import static io.switchboard.gateway.http.ApiArguments.number;
import static io.switchboard.gateway.http.ApiArguments.optionalNumber;
import static io.switchboard.gateway.http.ApiArguments.parameter;

/**
 * The HTTP server API (DESIGN.md, "HTTP server API"), the health and metrics endpoints and the demo page, on the
 * same port as the WebSocket endpoint. {@code /api/*} and {@code /admin/*} need {@code Authorization: Bearer <api
 * key>}. Requests that need hosts are posted to the gateway core and answered from there; every failure is a 4xx or
 * 5xx with a JSON {@code {code, message}} body.
 * <p>
 * Thread-safety: one instance per connection, on its event loop; answers may be written from the core's thread.
 */
public final class HttpApiHandler extends ChannelInboundHandlerAdapter
{
    /** Channels a dev token may name. */
    static final int MAX_TOKEN_CHANNELS = 10_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpApiHandler.class);

    private final GatewayContext context;
    private final GatewayCore core;
    private final GatewayMetrics metrics;
    private final TokenService tokens;
    private final ObjectMapper mapper;
    private final StaticFiles staticFiles;
    private final GatewayControl control;
    private final byte[] apiKey;

    /**
     * @param context     the gateway's configuration.
     * @param core        the gateway core.
     * @param metrics     the gateway's meters.
     * @param tokens      issues tokens in dev mode.
     * @param mapper      JSON mapper.
     * @param staticFiles the demo page.
     * @param control     drain and state of the gateway.
     */
    public HttpApiHandler(
        final GatewayContext context,
        final GatewayCore core,
        final GatewayMetrics metrics,
        final TokenService tokens,
        final ObjectMapper mapper,
        final StaticFiles staticFiles,
        final GatewayControl control)
    {
        this.context = context;
        this.core = core;
        this.metrics = metrics;
        this.tokens = tokens;
        this.mapper = mapper;
        this.staticFiles = staticFiles;
        this.control = control;
        this.apiKey = context.apiKey().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@inheritDoc}
     */
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof FullHttpRequest request))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        try
        {
            serve(ctx.channel(), request);
        }
        catch (final ApiException ex)
        {
            HttpResponses.error(ctx.channel(), request, ex.status, ex.code, ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("HTTP request {} {} failed", request.method(), request.uri(), ex);
            HttpResponses.error(ctx.channel(), request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                "the request could not be served");
        }
        finally
        {
            request.release();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
        {
            ctx.pipeline().remove(this);
        }
        else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE)
        {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    /**
     * {@inheritDoc}
     */
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    private void serve(final Channel channel, final FullHttpRequest request) throws ApiException
    {
        if (!request.decoderResult().isSuccess())
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request");
        }
        final QueryStringDecoder query = new QueryStringDecoder(request.uri());
        final String path = query.path();
        final HttpMethod method = request.method();
        final boolean keepAlive = HttpUtil.isKeepAlive(request);

        if (path.startsWith("/api/") || path.startsWith("/admin/"))
        {
            if (!isDevTokenFromLoopback(channel, request, path))
            {
                authorize(request);
            }
            switch (path)
            {
                case "/api/publish" -> publish(channel, keepAlive, expect(request, HttpMethod.POST));
                case "/api/memberships" -> memberships(channel, keepAlive, expect(request, HttpMethod.POST));
                case "/api/presence" -> presence(channel, keepAlive, expect(request, HttpMethod.GET), query);
                case "/api/history" -> history(channel, keepAlive, expect(request, HttpMethod.GET), query);
                case "/api/tokens" -> issueToken(channel, keepAlive, expect(request, HttpMethod.POST));
                case "/admin/drain" -> drain(channel, keepAlive, expect(request, HttpMethod.POST));
                default -> throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", "no endpoint " + path);
            }
            return;
        }

        switch (path)
        {
            case "/health" -> health(channel, keepAlive, expect(request, HttpMethod.GET));
            case "/metrics" -> HttpResponses.write(channel, keepAlive, HttpResponseStatus.OK,
                "text/plain; version=0.0.4; charset=utf-8",
                Unpooled.wrappedBuffer(metrics.scrape().getBytes(StandardCharsets.UTF_8)));
            default -> serveStatic(channel, keepAlive, request, path);
        }
    }

    private void publish(final Channel channel, final boolean keepAlive, final FullHttpRequest request)
        throws ApiException
    {
        final JsonNode body = body(mapper, request);
        final String channelName = name(body, "channel", true);
        final String user = Optional.ofNullable(name(body, "user", false)).orElse("api");
        final String id = name(body, "id", false);
        final JsonNode data = body.get("data");
        final byte[] payload;
        try
        {
            payload = mapper.writeValueAsBytes(null == data ? mapper.nullNode() : data);
        }
        catch (final Exception ex)
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "data cannot be encoded");
        }
        if (payload.length > ClientRequestParser.MAX_PAYLOAD_BYTES)
        {
            throw new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
                "data must be at most " + ClientRequestParser.MAX_PAYLOAD_BYTES + " bytes");
        }
        final HttpOrigin origin = new HttpOrigin(channel, keepAlive);
        post(() -> core.publish(origin, channelName, user, id, payload));
    }

    private void memberships(final Channel channel, final boolean keepAlive, final FullHttpRequest request)
        throws ApiException
    {
        final JsonNode body = body(mapper, request);
        final String user = name(body, "user", true);
        final List<String> join = names(body, "join", GatewayCore.MAX_MEMBERSHIP_CHANNELS);
        final List<String> leave = names(body, "leave", GatewayCore.MAX_MEMBERSHIP_CHANNELS);
        final String single = name(body, "channel", false);
        if (null != single)
        {
            final String action = null == body.get("action") ? "" : body.get("action").asText("");
            final List<String> list = switch (action)
            {
                case "join" -> join;
                case "leave" -> leave;
                default -> throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "action must be \"join\" or \"leave\" when channel is given");
            };
            if (!list.contains(single))
            {
                list.add(single);
            }
            if (list.size() > GatewayCore.MAX_MEMBERSHIP_CHANNELS)
            {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    action + " holds more than " + GatewayCore.MAX_MEMBERSHIP_CHANNELS + " names with channel");
            }
        }
        if (join.isEmpty() && leave.isEmpty())
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                "give join and/or leave (arrays of channels), or channel and action");
        }
        for (final String name : leave)
        {
            // Disjoint lists mean one outcome whatever the order of applying them, on every gateway.
            if (join.contains(name))
            {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "channel " + name + " is in both join and leave");
            }
        }
        post(() -> core.memberships(user, join, leave, outcome ->
        {
            final ObjectNode answer = mapper.createObjectNode();
            final boolean complete = outcome.failed().isEmpty();
            if (!complete)
            {
                // The change holds here and on the gateways that took it; a retry is safe (it is idempotent).
                answer.put("code", "unavailable").put("message", "the change did not reach gateway(s) " +
                    outcome.failed() + ": their sessions of " + user + " did not follow; retry the same request");
            }
            answer.put("user", user).put("sessions", outcome.sessions());
            answer.set("join", mapper.valueToTree(join));
            answer.set("leave", mapper.valueToTree(leave));
            answer.put("gateways", outcome.gateways());
            answer.set("failed", mapper.valueToTree(outcome.failedGateways()));
            HttpResponses.json(channel, keepAlive,
                complete ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, answer);
        }));
    }

    private void presence(
        final Channel channel, final boolean keepAlive, final FullHttpRequest request, final QueryStringDecoder query)
        throws ApiException
    {
        final List<String> users = new ArrayList<>();
        for (final String value : query.parameters().getOrDefault("users", List.of()))
        {
            for (final String user : value.split(","))
            {
                if (!user.isEmpty() && !users.contains(user))
                {
                    users.add(user);
                }
            }
        }
        if (users.isEmpty() || users.size() > context.maxWatchUsers())
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                "users must list 1 to " + context.maxWatchUsers() + " users, comma-separated");
        }
        for (final String user : users)
        {
            if (!Names.isValid(user))
            {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "invalid user name");
            }
        }
        final HttpOrigin origin = new HttpOrigin(channel, keepAlive);
        post(() -> core.query(origin, users));
    }

    private void history(
        final Channel channel, final boolean keepAlive, final FullHttpRequest request, final QueryStringDecoder query)
        throws ApiException
    {
        final String channelName = parameter(query, "channel");
        if (null == channelName || !Names.isValid(channelName))
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "channel is required");
        }
        final long since = number(query, "since", 0);
        final long epoch = number(query, "epoch", 0);
        final int limit = (int)Math.min(GatewayContext.MAX_HISTORY_LIMIT, Math.max(1, number(query, "limit", 100)));
        final HttpOrigin origin = new HttpOrigin(channel, keepAlive);
        post(() -> core.history(origin, channelName, since, epoch, limit));
    }

    private void issueToken(final Channel channel, final boolean keepAlive, final FullHttpRequest request)
        throws ApiException
    {
        if (!context.devMode())
        {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found",
                "tokens are issued only in dev mode; sign them with the JWT secret in your backend");
        }
        final JsonNode body = body(mapper, request);
        final String user = name(body, "user", true);
        // A user may belong to thousands of channels; a client request names at most 1000 at a time.
        final List<String> channels = names(body, "channels", MAX_TOKEN_CHANNELS);
        final JsonNode ttlNode = body.get("ttlSeconds");
        if (null != ttlNode && (!ttlNode.canConvertToLong() || !ttlNode.isIntegralNumber() || ttlNode.longValue() < 1))
        {
            throw new ApiException(
                HttpResponseStatus.BAD_REQUEST, "bad_request", "ttlSeconds must be a positive integer");
        }
        final long ttlSeconds = null == ttlNode ? context.tokenTtlSeconds() : ttlNode.longValue();
        final ObjectNode answer = mapper.createObjectNode()
            .put("token", tokens.issue(user, channels, ttlSeconds))
            .put("user", user)
            .put("expiresAt", Instant.now().plusSeconds(ttlSeconds).toString());
        answer.set("channels", mapper.valueToTree(channels));
        HttpResponses.json(channel, keepAlive, HttpResponseStatus.OK, answer);
    }

    private void drain(final Channel channel, final boolean keepAlive, final FullHttpRequest request)
        throws ApiException
    {
        final JsonNode body = request.content().isReadable() ? body(mapper, request) : mapper.createObjectNode();
        final String reason = null == body.get("reason") ? "gateway draining" : body.get("reason").asText();
        final JsonNode url = body.get("url");
        if (null != url && (!url.isTextual() || !(url.textValue().startsWith("ws://") ||
            url.textValue().startsWith("wss://"))))
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "url must be a ws:// or wss:// URL");
        }
        final long reconnectMs = optionalNumber(body, "reconnectInMs");
        final long graceMs = optionalNumber(body, "graceMs");
        control.drain(reason, null == url ? null : url.textValue(), reconnectMs, graceMs).whenComplete(
            (result, error) ->
            {
                if (null != error)
                {
                    HttpResponses.error(channel, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "drain failed: " + error.getMessage());
                    return;
                }
                final ObjectNode answer = mapper.createObjectNode()
                    .put("draining", true)
                    .put("sessions", result.sessions())
                    .put("url", result.url())
                    .put("reconnectInMs", result.reconnectMs())
                    .put("graceMs", result.graceMs());
                HttpResponses.json(channel, keepAlive, HttpResponseStatus.ACCEPTED, answer);
            });
    }

    private void health(final Channel channel, final boolean keepAlive, final FullHttpRequest request)
    {
        final boolean draining = control.isDraining();
        final ObjectNode answer = mapper.createObjectNode()
            .put("status", draining ? "draining" : "ok")
            .put("gateway", control.name())
            .put("connections", metrics.connections());
        HttpResponses.json(channel, keepAlive,
            draining ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK, answer);
    }

    private void serveStatic(
        final Channel channel, final boolean keepAlive, final FullHttpRequest request, final String path)
        throws ApiException
    {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method()))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET");
        }
        final Optional<StaticFiles.StaticFile> file = staticFiles.find(path);
        if (file.isEmpty())
        {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", "no such page: " + path);
        }
        HttpResponses.write(channel, keepAlive, HttpResponseStatus.OK, file.get().contentType(),
            Unpooled.wrappedBuffer(file.get().bytes()));
    }

    /**
     * Dev mode lets the demo page on this machine get a token without knowing the API key: a POST /api/tokens
     * from a loopback address that sends no Authorization header at all. A wrong key is still refused, and
     * outside dev mode (or from another address) the key is required.
     */
    private boolean isDevTokenFromLoopback(final Channel channel, final FullHttpRequest request, final String path)
    {
        return context.devMode() &&
            HttpMethod.POST.equals(request.method()) &&
            "/api/tokens".equals(path) &&
            !request.headers().contains(HttpHeaderNames.AUTHORIZATION) &&
            channel.remoteAddress() instanceof java.net.InetSocketAddress address &&
            address.getAddress().isLoopbackAddress();
    }

    private void authorize(final FullHttpRequest request) throws ApiException
    {
        final String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (null == header || !header.startsWith("Bearer "))
        {
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "send the API key as Authorization: Bearer <key>");
        }
        final byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, apiKey))
        {
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "wrong API key");
        }
    }

    private static FullHttpRequest expect(final FullHttpRequest request, final HttpMethod method) throws ApiException
    {
        if (!method.equals(request.method()))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use " + method);
        }
        return request;
    }

    private void post(final Runnable command) throws ApiException
    {
        if (!core.post(command))
        {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the gateway is busy; retry");
        }
    }
}
