package io.switchboard.gateway.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.gateway.GatewayMetrics;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.core.ClientFrames;
import io.switchboard.gateway.core.GatewayCore;
import io.switchboard.gateway.core.GatewaySession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event-loop side of one WebSocket session: starts it once the handshake is done (or refuses it with the close
 * code the authentication chose), rate-limits and parses client frames, answers malformed ones with an error, and
 * posts valid requests to the gateway core in order. It also sends server heartbeats (pings) when nothing was
 * written for a while, closes silent sessions, and closes slow consumers with 4013 when their outbound buffer passes
 * the high-water mark.
 * <p>
 * Commands the core cannot take at once (its queue is full) are held here in order and reading pauses until they
 * are taken, so a busy core slows clients down instead of losing their requests.
 * <p>
 * Thread-safety: one instance per connection, on its event loop.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private final GatewayCore core;
    private final GatewayContext context;
    private final GatewayMetrics metrics;
    private final ClientRequestParser parser;
    private final EventLoop[] loops;
    private final AtomicLong sessionIds;
    private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private GatewaySession session;
    private RateLimiter limiter;
    private ClientRequest.Watch pendingWatch;
    private int silentPeriods;
    private boolean slowCheckPending;
    private long lastWatchNs = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    /**
     * @param core       the gateway core.
     * @param context    limits and heartbeat settings.
     * @param metrics    the gateway's meters.
     * @param parser     parses client frames.
     * @param loops      the gateway's event loops, to index this session's loop.
     * @param sessionIds source of session ids.
     */
    public SessionHandler(
        final GatewayCore core,
        final GatewayContext context,
        final GatewayMetrics metrics,
        final ClientRequestParser parser,
        final EventLoop[] loops,
        final AtomicLong sessionIds)
    {
        this.core = core;
        this.context = context;
        this.metrics = metrics;
        this.parser = parser;
        this.loops = loops;
        this.sessionIds = sessionIds;
    }

    /**
     * {@inheritDoc}
     */
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    /**
     * {@inheritDoc}
     */
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
        {
            onHandshake(ctx.channel());
        }
        else if (event instanceof IdleStateEvent idle)
        {
            onIdle(ctx, idle);
        }
        else
        {
            super.userEventTriggered(ctx, event);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof WebSocketFrame frame))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        try
        {
            if (null == session || session.isClosing())
            {
                return;
            }
            metrics.frameIn();
            if (!admit())
            {
                return;
            }
            if (frame instanceof TextWebSocketFrame)
            {
                onText(frame);
            }
            else
            {
                sendError("bad_request", "binary frames are not supported: send JSON text frames", null);
            }
        }
        finally
        {
            frame.release();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
    {
        // Past the high-water mark: a client that reads catches up within the grace period, one that does not is
        // closed then, even if nothing more is written to it.
        if (null != session && !ctx.channel().isWritable() && !slowCheckPending)
        {
            slowCheckPending = true;
            ctx.executor().schedule(this::checkSlowConsumer, context.slowConsumerGraceMs(), TimeUnit.MILLISECONDS);
        }
        super.channelWritabilityChanged(ctx);
    }

    private void checkSlowConsumer()
    {
        slowCheckPending = false;
        if (!ctx.channel().isWritable())
        {
            session.closeSlowConsumer();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (null != session)
        {
            final GatewaySession closed = session;
            metrics.connectionClosed();
            submit(() -> core.unregister(closed));
        }
        super.channelInactive(ctx);
    }

    /**
     * {@inheritDoc}
     */
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof TooLongFrameException)
        {
            GatewaySession.closeChannel(ctx.channel(), GatewaySession.CLOSE_TOO_LARGE, "frame too large");
        }
        else if (cause instanceof CorruptedFrameException)
        {
            // The WebSocket decoder has already sent the close frame (1009 for an oversized frame, 1002 otherwise).
            ctx.close();
        }
        else if (cause instanceof IOException)
        {
            ctx.close();
        }
        else
        {
            LOG.warn("closing {} after an unexpected error", null == session ? ctx.channel() : session, cause);
            GatewaySession.closeChannel(ctx.channel(), 1011, "internal error");
        }
    }

    private void onHandshake(final Channel channel)
    {
        removeIfPresent(WebSocketAuthHandler.class);
        final String failure = channel.attr(WebSocketAuthHandler.FAILURE).get();
        if (null != failure)
        {
            final int code = channel.attr(WebSocketAuthHandler.FAILURE_CODE).get();
            if (GatewaySession.CLOSE_BAD_TOKEN != code)
            {
                metrics.error("unavailable");
                final ByteBuf error = ClientFrames.forCurrentThread().error("unavailable", failure, null, null);
                channel.writeAndFlush(new TextWebSocketFrame(error));
            }
            GatewaySession.closeChannel(channel, code, failure);
            return;
        }

        // Taken, not read: the token's channel list would otherwise live as long as the connection, one more
        // reference per channel on top of the session's own set.
        final Principal principal = channel.attr(WebSocketAuthHandler.PRINCIPAL).getAndSet(null);
        if (null == principal)
        {
            GatewaySession.closeChannel(channel, GatewaySession.CLOSE_BAD_TOKEN, "not authenticated");
            return;
        }
        session = new GatewaySession(sessionIds.incrementAndGet(), principal.user(), channel, loopIndex(channel),
            metrics);
        session.frameWriter(channel.pipeline().context(WebSocketFrameEncoder.class));
        limiter = new RateLimiter(context.ratePerSecond(), context.rateBurst(), context.floodRejections(),
            TimeUnit.MILLISECONDS.toNanos(context.floodWindowMs()), System.nanoTime());
        metrics.connectionOpened();
        final GatewaySession opened = session;
        submit(() -> core.register(opened, principal));
    }

    private void onIdle(final ChannelHandlerContext ctx, final IdleStateEvent idle)
    {
        if (null == session)
        {
            return;
        }
        if (idle.state() == IdleState.READER_IDLE)
        {
            // Pinged after every quiet period, so even a client that only listens has a pong to send.
            silentPeriods = idle.isFirst() ? 1 : silentPeriods + 1;
            final long silentMs = silentPeriods * Math.min(context.idleTimeoutMs(), context.heartbeatMs());
            if (silentMs >= context.idleTimeoutMs())
            {
                session.close(GatewaySession.CLOSE_GOING_AWAY, "idle timeout");
            }
            else
            {
                ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
            }
        }
        else if (idle.state() == IdleState.WRITER_IDLE)
        {
            ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
        }
    }

    private boolean admit()
    {
        switch (limiter.onFrame(System.nanoTime()))
        {
            case RateLimiter.ALLOWED:
                return true;
            case RateLimiter.LIMITED:
                sendError("rate_limited", "too many frames: at most " + context.ratePerSecond() +
                    " per second (bursts of " + context.rateBurst() + ")", null);
                return false;
            default:
                metrics.floodClosed();
                session.close(GatewaySession.CLOSE_FLOODING, "flooding");
                return false;
        }
    }

    private void onText(final WebSocketFrame frame)
    {
        final ClientRequest request;
        try
        {
            request = parser.parse(frame.content());
        }
        catch (final BadFrameException ex)
        {
            sendError(ex.code(), ex.getMessage(), ex.ref());
            return;
        }
        if (request instanceof ClientRequest.Ping ping)
        {
            session.send(ClientFrames.forCurrentThread().pong(ping.ref()));
            return;
        }
        if (request instanceof ClientRequest.Watch watch)
        {
            onWatch(watch);
            return;
        }
        final GatewaySession target = session;
        submit(() -> request.applyTo(core, target));
    }

    private void onWatch(final ClientRequest.Watch watch)
    {
        // Viewports change in bursts (scrolling): apply at most one per interval, always the newest.
        final long nowNs = System.nanoTime();
        final long intervalNs = TimeUnit.MILLISECONDS.toNanos(context.watchIntervalMs());
        if (null == pendingWatch && nowNs - lastWatchNs >= intervalNs)
        {
            applyWatch(watch, nowNs);
            return;
        }
        if (null == pendingWatch)
        {
            ctx.executor().schedule(this::applyPendingWatch, intervalNs - (nowNs - lastWatchNs), TimeUnit.NANOSECONDS);
        }
        pendingWatch = watch;
    }

    private void applyPendingWatch()
    {
        final ClientRequest.Watch watch = pendingWatch;
        pendingWatch = null;
        if (null != watch && null != session && !session.isClosing())
        {
            applyWatch(watch, System.nanoTime());
        }
    }

    private void applyWatch(final ClientRequest.Watch watch, final long nowNs)
    {
        lastWatchNs = nowNs;
        final GatewaySession target = session;
        submit(() -> watch.applyTo(core, target));
    }

    private void sendError(final String code, final String message, final String ref)
    {
        metrics.error(code);
        session.send(ClientFrames.forCurrentThread().error(code, message, ref, null));
    }

    private void submit(final Runnable command)
    {
        if (backlog.isEmpty() && core.post(command))
        {
            return;
        }
        backlog.addLast(command);
        if (1 == backlog.size())
        {
            ctx.channel().config().setAutoRead(false);
            scheduleRetry();
        }
    }

    private void scheduleRetry()
    {
        ctx.executor().schedule(this::retryBacklog, 1, TimeUnit.MILLISECONDS);
    }

    private void retryBacklog()
    {
        while (!backlog.isEmpty())
        {
            if (!core.post(backlog.peekFirst()))
            {
                scheduleRetry();
                return;
            }
            backlog.pollFirst();
        }
        if (ctx.channel().isActive())
        {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private int loopIndex(final Channel channel)
    {
        for (int i = 0; i < loops.length; i++)
        {
            if (loops[i] == channel.eventLoop())
            {
                return i;
            }
        }
        return 0;
    }

    private void removeIfPresent(final Class<? extends io.netty.channel.ChannelHandler> type)
    {
        if (null != ctx.pipeline().get(type))
        {
            ctx.pipeline().remove(type);
        }
    }
}
