package io.switchboard.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.switchboard.gateway.auth.ConnectProxy;
import io.switchboard.gateway.auth.TokenService;
import io.switchboard.gateway.core.GatewayCore;
import io.switchboard.gateway.http.GatewayControl;
import io.switchboard.gateway.http.HttpApiHandler;
import io.switchboard.gateway.http.JsonHttpObjectAggregator;
import io.switchboard.gateway.http.StaticFiles;
import io.switchboard.gateway.session.ClientRequestParser;
import io.switchboard.gateway.session.HeartbeatHandler;
import io.switchboard.gateway.session.SessionHandler;
import io.switchboard.gateway.session.WebSocketAuthHandler;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline of every connection, one handler per concern: flush consolidation, idle detection (server heartbeat
 * and idle timeout), HTTP codec and aggregation, WebSocket authentication, the WebSocket protocol (frame size limit,
 * no UTF-8 enforcement: the session answers invalid UTF-8 with an error instead of a close), fragment aggregation,
 * then the HTTP API for plain requests and the session for WebSocket frames.
 * <p>
 * Thread-safe: shared by all connections; handlers are created per connection.
 */
final class GatewayInitializer extends ChannelInitializer<SocketChannel>
{
    /** Path of the WebSocket endpoint. */
    static final String WEBSOCKET_PATH = "/ws";
    private static final int MAX_HTTP_BODY = 1024 * 1024;
    private static final int MAX_REQUEST_LINE = 64 * 1024;

    private final GatewayContext context;
    private final GatewayCore core;
    private final GatewayMetrics metrics;
    private final TokenService tokens;
    private final ConnectProxy proxy;
    private final ObjectMapper mapper;
    private final ClientRequestParser parser;
    private final StaticFiles staticFiles = new StaticFiles();
    private final GatewayControl control;
    private final EventLoop[] loops;
    private final AtomicLong sessionIds = new AtomicLong();
    private final WebSocketServerProtocolConfig webSocketConfig;

    GatewayInitializer(
        final GatewayContext context,
        final GatewayCore core,
        final GatewayMetrics metrics,
        final TokenService tokens,
        final ConnectProxy proxy,
        final ObjectMapper mapper,
        final GatewayControl control,
        final EventLoop[] loops)
    {
        this.context = context;
        this.core = core;
        this.metrics = metrics;
        this.tokens = tokens;
        this.proxy = proxy;
        this.mapper = mapper;
        this.parser = new ClientRequestParser(mapper, context.maxWatchUsers());
        this.control = control;
        this.loops = loops;
        this.webSocketConfig = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(WEBSOCKET_PATH)
            .checkStartsWith(true)
            .maxFramePayloadLength(context.maxFrameBytes())
            .withUTF8Validator(false)
            .allowExtensions(false)
            .handleCloseFrames(true)
            .dropPongFrames(true)
            .handshakeTimeoutMillis(10_000)
            .forceCloseTimeoutMillis(1_000)
            .build();
    }

    protected void initChannel(final SocketChannel channel)
    {
        final ChannelPipeline pipeline = channel.pipeline();
        // Fan-out batches its own flushes (LoopWriter); this consolidates the answers written while reading requests.
        pipeline.addLast("flush", new FlushConsolidationHandler(256, false));
        // Reader idle comes every heartbeat while the client is silent: the session pings it, and closes it once the
        // silence reaches the idle timeout (a client that only listens to a busy channel is pinged too).
        pipeline.addLast("idle", new HeartbeatHandler(
            Math.min(context.idleTimeoutMs(), context.heartbeatMs()), context.heartbeatMs()));
        // The token rides in the WebSocket URL, and a token listing thousands of channels is longer than Netty's
        // default 4 KiB request line.
        pipeline.addLast("http", new HttpServerCodec(MAX_REQUEST_LINE, 8192, 8192));
        pipeline.addLast("httpAggregator", new JsonHttpObjectAggregator(MAX_HTTP_BODY));
        pipeline.addLast("auth", new WebSocketAuthHandler(WEBSOCKET_PATH, tokens, proxy, control::isDraining));
        pipeline.addLast("webSocket", new WebSocketServerProtocolHandler(webSocketConfig));
        pipeline.addLast("fragments", new WebSocketFrameAggregator(context.maxFrameBytes()));
        pipeline.addLast("api", new HttpApiHandler(context, core, metrics, tokens, mapper, staticFiles, control));
        pipeline.addLast("session", new SessionHandler(core, context, metrics, parser, loops, sessionIds));
    }
}
