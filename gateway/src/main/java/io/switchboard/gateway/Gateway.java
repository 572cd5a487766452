package io.switchboard.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.codecs.MembershipChangeDecoder;
import io.switchboard.gateway.auth.ConnectProxy;
import io.switchboard.gateway.auth.TokenService;
import io.switchboard.gateway.core.GatewayCore;
import io.switchboard.gateway.core.GatewaySession;
import io.switchboard.gateway.core.HostInbound;
import io.switchboard.gateway.http.GatewayControl;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running gateway: the WebSocket endpoint, the HTTP server API and the demo page on one port (Netty 4.2, native
 * epoll where available, NIO otherwise), in front of a {@link GatewayCore} that runs on the node agent's thread and
 * talks to channel and presence hosts over the node's Aeron links.
 * <p>
 * Thread-safety: launch, drain and close may be called from any thread.
 */
public final class Gateway implements GatewayControl, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final long TICK_MS = 100;

    private final GatewayContext context;
    private final SwitchboardNode node;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final TokenService tokens;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final GatewayCore core;
    private final Channel serverChannel;
    private final ScheduledFuture<?> ticker;
    private volatile boolean draining;
    private volatile boolean closed;

    private Gateway(final GatewayContext context, final SwitchboardNode node) throws InterruptedException
    {
        this.context = context.conclude();
        this.node = node;
        this.tokens = new TokenService(context.jwtSecret());
        final GatewayTransport transport = GatewayTransport.select(context.httpTransport());
        final IoHandlerFactory ioHandlers = transport.ioHandlerFactory();
        this.acceptor = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("switchboard-gw-accept"), ioHandlers);
        this.workers = new MultiThreadIoEventLoopGroup(
            context.httpThreads(), new DefaultThreadFactory("switchboard-gw-io"), ioHandlers);
        final List<EventLoop> loopList = new ArrayList<>();
        for (final EventExecutor executor : workers)
        {
            loopList.add((EventLoop)executor);
        }
        final EventLoop[] loops = loopList.toArray(new EventLoop[0]);

        try
        {
            this.core = createCore(loops);
            final ObjectMapper mapper = new ObjectMapper();
            final ConnectProxy proxy = null == context.connectProxyUrl() ? null :
                new ConnectProxy(context.connectProxyUrl(), context.connectProxyTimeoutMs(), mapper);
            final Class<? extends ServerSocketChannel> channelClass = transport.serverChannelClass();
            this.serverChannel = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(context.highWaterMarkBytes() / 2, context.highWaterMarkBytes()))
                .childHandler(new GatewayInitializer(context, core, metrics, tokens, proxy, mapper, this, loops))
                .bind(context.httpHost(), context.httpPort())
                .sync()
                .channel();
            this.ticker = workers.next().scheduleAtFixedRate(
                () -> core.post(core::tick), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw ex;
        }
        LOG.info("gateway {} listening on http://{}:{} (WebSocket {}), {} event loops, {}{}",
            node.context().nodeName(), context.httpHost(), port(), GatewayInitializer.WEBSOCKET_PATH, loops.length,
            transport.label(), context.devMode() ? ", dev mode" : "");
    }

    /**
     * Start a gateway on a running node.
     *
     * @param context gateway configuration; concluded here.
     * @param node    the node whose Aeron links reach the channel and presence hosts.
     * @return the running gateway.
     * @throws IllegalStateException when the port cannot be bound or the node does not answer.
     */
    public static Gateway launch(final GatewayContext context, final SwitchboardNode node)
    {
        try
        {
            return new Gateway(context, node);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the gateway", ex);
        }
    }

    private GatewayCore createCore(final EventLoop[] loops)
    {
        // The core lives on the node agent's thread: build and register it there, where handlers may be added.
        final CompletableFuture<GatewayCore> created = new CompletableFuture<>();
        final boolean posted = node.agent().post(() ->
        {
            try
            {
                final GatewayCore gatewayCore =
                    new GatewayCore(context, node.context(), node.agent(), metrics, loops);
                for (final int templateId : HostInbound.TEMPLATES)
                {
                    node.agent().handle(templateId, gatewayCore.inbound());
                }
                node.agent().handle(MembershipChangeDecoder.TEMPLATE_ID, gatewayCore.membershipInbound());
                node.addPeerListener(gatewayCore.inbound());
                for (final Role role : new Role[]{ Role.CHANNEL, Role.PRESENCE })
                {
                    gatewayCore.onPlacement(role, node.clusterView().routing(role));
                }
                node.clusterView().addListener(gatewayCore::onPlacement);
                created.complete(gatewayCore);
            }
            catch (final RuntimeException ex)
            {
                created.completeExceptionally(ex);
            }
        });
        if (!posted)
        {
            throw new IllegalStateException("the node agent did not take the gateway's start command");
        }
        try
        {
            return created.get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("the gateway core could not start on the node agent", ex);
        }
    }

    /**
     * @return the bound port.
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /**
     * @return ws:// URL of the endpoint.
     */
    public String webSocketUrl()
    {
        return "ws://" + context.httpHost() + ":" + port() + GatewayInitializer.WEBSOCKET_PATH;
    }

    /**
     * @return the configuration (API key, JWT secret, limits).
     */
    public GatewayContext context()
    {
        return context;
    }

    /**
     * @return the meters.
     */
    public GatewayMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return issues and verifies client tokens.
     */
    public TokenService tokens()
    {
        return tokens;
    }

    /**
     * {@inheritDoc}
     */
    public String name()
    {
        return node.context().nodeName();
    }

    /**
     * {@inheritDoc}
     */
    public boolean isDraining()
    {
        return draining;
    }

    /**
     * {@inheritDoc}
     */
    public CompletableFuture<DrainResult> drain(
        final String reason, final String url, final long reconnectMs, final long graceMs)
    {
        final long reconnect = reconnectMs >= 0 ? reconnectMs : context.drainReconnectMs();
        final long grace = graceMs >= 0 ? graceMs : context.drainGraceMs();
        draining = true;
        final CompletableFuture<DrainResult> result = new CompletableFuture<>();
        if (!core.post(() ->
        {
            final String target = core.drainTarget(url);
            result.complete(new DrainResult(core.drain(reason, url, reconnect), target, reconnect, grace));
        }))
        {
            result.completeExceptionally(new IllegalStateException("the gateway core is busy"));
            return result;
        }
        workers.next().schedule(() -> core.post(() ->
            core.closeAll(GatewaySession.CLOSE_GOING_AWAY, "drained")), grace, TimeUnit.MILLISECONDS);
        return result;
    }

    /**
     * Drain, wait until every session left or the grace period ended, then close: what SIGTERM does.
     *
     * @param reason for clients.
     */
    public void drainAndClose(final String reason)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(context.drainGraceMs() + 1000);
        drain(reason, null, -1, -1);
        while (metrics.connections() > 0 && System.nanoTime() - deadlineNs < 0)
        {
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /**
     * Stop listening, close every session (1001) and the event loops; the node keeps running.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        ticker.cancel(false);
        serverChannel.close().syncUninterruptibly();
        final CompletableFuture<Void> stopped = new CompletableFuture<>();
        if (core.post(() ->
        {
            core.closeAll(GatewaySession.CLOSE_GOING_AWAY, "gateway stopping");
            core.close();
            stopped.complete(null);
        }))
        {
            try
            {
                stopped.get(5, TimeUnit.SECONDS);
            }
            catch (final Exception ex)
            {
                LOG.warn("gateway core did not stop in time", ex);
            }
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("gateway {} stopped", name());
    }
}
