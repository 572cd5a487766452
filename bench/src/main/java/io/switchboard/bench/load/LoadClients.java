package io.switchboard.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The generator's WebSocket connections: a few event loop threads (each holds thousands of connections), source
 * addresses 127.0.0.1..N round robin (each address has its own ~28k ephemeral ports), and a bound on handshakes in
 * flight so a ramp does not overflow the server's accept backlog.
 * <p>
 * Thread-safety: {@link #connect} from one thread; clients are then driven by their event loops.
 */
final class LoadClients implements AutoCloseable
{
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final LoadStats stats;
    private final Wire wire;
    private final int sources;
    private final Semaphore inflight;
    private final List<LoadClient> clients = new ArrayList<>();

    LoadClients(final int threads, final int sources, final int maxInflight, final Wire wire, final LoadStats stats)
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, factory);
        this.bootstrap = new Bootstrap().group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        this.stats = stats;
        this.wire = wire;
        this.sources = sources;
        this.inflight = new Semaphore(maxInflight);
        System.out.println("load: generator " + threads + " event loop thread(s), " + (epoll ? "epoll" : "nio") +
            ", " + sources + " source address(es), " + maxInflight + " handshakes in flight");
    }

    /**
     * Open one connection; blocks while too many handshakes are in flight.
     *
     * @param user     the user.
     * @param channels its channels.
     * @return the client (ready later).
     */
    LoadClient connect(final String user, final List<String> channels) throws InterruptedException
    {
        inflight.acquire();
        final LoadClient client = new LoadClient(user, channels, wire, stats, inflight::release);
        clients.add(client);
        final URI uri = URI.create(wire.url(user, channels));
        final WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .customHeaders(EmptyHttpHeaders.INSTANCE)
            .maxFramePayloadLength(1 << 20)
            .handshakeTimeoutMillis(30_000)
            .handleCloseFrames(false)
            .build();
        final InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + clients.size() % sources), 0);
        final ChannelFuture future = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
        {
            protected void initChannel(final SocketChannel ch)
            {
                ch.pipeline().addLast(
                    new HttpClientCodec(),
                    new HttpObjectAggregator(65536),
                    new WebSocketClientProtocolHandler(config),
                    client);
            }
        }).connect(new InetSocketAddress(uri.getHost(), uri.getPort()), local);
        future.addListener(f ->
        {
            if (!f.isSuccess())
            {
                stats.onError(user + ": connect failed: " + f.cause());
                inflight.release();
            }
        });
        return client;
    }

    /**
     * Wait until every connection is ready or failed.
     *
     * @param permits   the in-flight bound given at construction.
     * @param timeoutMs how long.
     * @return true when all settled in time.
     */
    boolean awaitSettled(final int permits, final long timeoutMs) throws InterruptedException
    {
        if (inflight.tryAcquire(permits, timeoutMs, TimeUnit.MILLISECONDS))
        {
            inflight.release(permits);
            return true;
        }
        return false;
    }

    List<LoadClient> clients()
    {
        return clients;
    }

    public void close()
    {
        for (final LoadClient client : clients)
        {
            client.stopping = true;
        }
        for (final LoadClient client : clients)
        {
            final Channel ch = client.channel();
            if (null != ch)
            {
                ch.close();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }
}
