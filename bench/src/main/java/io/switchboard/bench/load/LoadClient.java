package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;

/**
 * One simulated user on one WebSocket connection: sends the protocol's opening frames, becomes ready when its
 * subscriptions are in place, scans every delivery for send stamps ({@code ~T<nanoTime>}) and records their
 * latency, and publishes when the generator asks.
 * <p>
 * Thread-safety: inbound events on the connection's event loop; {@link #publish} from any thread (Netty hands the
 * write to the event loop).
 */
final class LoadClient extends SimpleChannelInboundHandler<WebSocketFrame>
{
    /** Client heartbeat period: well inside the gateway's default idle timeout (60 s). */
    static final long HEARTBEAT_MS = 20_000;

    final String user;
    final List<String> channels;
    private final Wire wire;
    private final LoadStats stats;
    private final Runnable onReady;
    private volatile Channel channel;
    private volatile boolean isReady;
    private boolean settled;
    volatile boolean stopping;
    private volatile PresenceLoad presence;

    LoadClient(final String user, final List<String> channels, final Wire wire, final LoadStats stats,
        final Runnable onReady)
    {
        super(true);
        this.user = user;
        this.channels = channels;
        this.wire = wire;
        this.stats = stats;
        this.onReady = onReady;
    }

    /**
     * @param presence told of every presence frame (presence scenario).
     */
    void presence(final PresenceLoad presence)
    {
        this.presence = presence;
    }

    boolean isReady()
    {
        return isReady;
    }

    Channel channel()
    {
        return channel;
    }

    /**
     * @param channelName where.
     * @param data        payload text with its stamp.
     * @return false when the connection is not open.
     */
    boolean publish(final String channelName, final CharSequence data)
    {
        final Channel ch = channel;
        if (null == ch || !ch.isActive())
        {
            return false;
        }
        ch.writeAndFlush(new TextWebSocketFrame(wire.publish(ch.alloc(), channelName, data)), ch.voidPromise());
        return true;
    }

    /**
     * Send a raw text frame (presence requests).
     *
     * @param text the frame.
     */
    void sendText(final String text)
    {
        final Channel ch = channel;
        if (null != ch && ch.isActive())
        {
            ch.writeAndFlush(new TextWebSocketFrame(text), ch.voidPromise());
        }
    }

    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
        {
            stats.connected.incrementAndGet();
            for (final ByteBuf frame : wire.onOpen(ctx.alloc(), channels))
            {
                ctx.write(new TextWebSocketFrame(frame), ctx.voidPromise());
            }
            ctx.flush();
            final long firstMs = HEARTBEAT_MS / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(HEARTBEAT_MS);
            ctx.executor().scheduleAtFixedRate(() ->
            {
                if (ctx.channel().isActive())
                {
                    ctx.writeAndFlush(new TextWebSocketFrame(wire.heartbeat(ctx.alloc())), ctx.voidPromise());
                }
            }, firstMs, HEARTBEAT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT)
        {
            stats.onError(user + ": handshake timeout");
        }
        super.userEventTriggered(ctx, evt);
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
        {
            final ByteBuf content = frame.content();
            switch (wire.classify(content))
            {
                case DATA ->
                {
                    final PresenceLoad watcher = presence;
                    if (null != watcher)
                    {
                        watcher.onFrame(content, System.nanoTime());
                    }
                    else
                    {
                        scanStamps(content, System.nanoTime());
                    }
                }
                case READY ->
                {
                    if (!isReady)
                    {
                        isReady = true;
                        stats.ready.incrementAndGet();
                        settle();
                    }
                }
                case ERROR -> stats.onError(user + ": " + content.toString(java.nio.charset.StandardCharsets.UTF_8));
                case PING ->
                {
                    ctx.writeAndFlush(new TextWebSocketFrame(wire.pong(ctx.alloc())), ctx.voidPromise());
                    scanStamps(content, System.nanoTime());
                }
                default ->
                {
                }
            }
        }
        else if (frame instanceof CloseWebSocketFrame close)
        {
            if (!stopping)
            {
                stats.onError(user + ": closed by server " + close.statusCode() + " " + close.reasonText());
                stopping = true;
            }
            ctx.close();
        }
    }

    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        stats.closed.incrementAndGet();
        settle();
        if (!stopping)
        {
            stats.onError(user + ": connection lost");
        }
        super.channelInactive(ctx);
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (!stopping)
        {
            stats.onError(user + ": " + cause);
        }
        ctx.close();
    }

    private void settle()
    {
        if (!settled)
        {
            settled = true;
            onReady.run();
        }
    }

    private void scanStamps(final ByteBuf content, final long nowNs)
    {
        final int end = content.writerIndex();
        int i = content.readerIndex();
        while (true)
        {
            i = content.indexOf(i, end, (byte)'~');
            if (i < 0 || i + 1 >= end)
            {
                return;
            }
            if ('T' == content.getByte(i + 1))
            {
                long value = 0;
                int j = i + 2;
                byte b;
                while (j < end && (b = content.getByte(j)) >= '0' && b <= '9')
                {
                    value = value * 10 + (b - '0');
                    j++;
                }
                stats.onDelivery(value, nowNs);
                i = j;
            }
            else
            {
                i++;
            }
        }
    }
}
