package io.switchboard.gateway.session;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Idle detection for every connection, firing Netty's {@link IdleStateEvent}s: reader idle after each quiet
 * period in which the client sent nothing, writer idle once the gateway wrote nothing for the heartbeat period.
 * <p>
 * It replaces Netty's {@code IdleStateHandler}, which tracks writes by attaching a listener to a new promise per
 * write: one promise per delivered frame is a measurable share of a broadcast. Here a write only sets a flag, and
 * one timer per connection looks at the flags once per quiet period.
 * <p>
 * Not thread-safe: one instance per connection, used on its event loop only.
 */
public final class HeartbeatHandler extends ChannelDuplexHandler
{
    private final long readerIdleMs;
    private final long writerIdleMs;
    private ScheduledFuture<?> timer;
    private boolean read;
    private boolean written;
    private boolean firstReaderIdle = true;
    private boolean firstWriterIdle = true;
    private long writerSilentMs;

    /**
     * @param readerIdleMs a quiet period on the read side, > 0.
     * @param writerIdleMs a quiet period on the write side, > 0; observed with the reader's granularity.
     */
    public HeartbeatHandler(final long readerIdleMs, final long writerIdleMs)
    {
        if (readerIdleMs <= 0 || writerIdleMs <= 0)
        {
            throw new IllegalArgumentException("idle periods must be > 0: " + readerIdleMs + ", " + writerIdleMs);
        }
        this.readerIdleMs = readerIdleMs;
        this.writerIdleMs = writerIdleMs;
    }

    /**
     * {@inheritDoc}
     */
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isActive() && ctx.channel().isRegistered())
        {
            start(ctx);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        start(ctx);
        super.channelActive(ctx);
    }

    /**
     * {@inheritDoc}
     */
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        stop();
        super.channelInactive(ctx);
    }

    /**
     * {@inheritDoc}
     */
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        stop();
    }

    /**
     * {@inheritDoc}
     */
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        read = true;
        ctx.fireChannelRead(msg);
    }

    /**
     * {@inheritDoc}
     */
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        written = true;
        ctx.write(msg, promise);
    }

    private void start(final ChannelHandlerContext ctx)
    {
        if (null == timer)
        {
            // Fixed delay, not fixed rate: after a stall (GC, a busy loop) missed periods must not fire back to back
            // and count as silence before the reads waiting in the socket have been processed.
            timer = ctx.executor().scheduleWithFixedDelay(
                () -> onTimer(ctx), readerIdleMs, readerIdleMs, TimeUnit.MILLISECONDS);
        }
    }

    private void stop()
    {
        if (null != timer)
        {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimer(final ChannelHandlerContext ctx)
    {
        if (!ctx.channel().isActive())
        {
            stop();
            return;
        }
        final boolean wasRead = read;
        final boolean wasWritten = written;
        read = false;
        written = false;
        if (wasRead)
        {
            firstReaderIdle = true;
        }
        else
        {
            ctx.fireUserEventTriggered(firstReaderIdle ?
                IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT : IdleStateEvent.READER_IDLE_STATE_EVENT);
            firstReaderIdle = false;
        }
        writerSilentMs = wasWritten ? 0 : writerSilentMs + readerIdleMs;
        if (wasWritten)
        {
            firstWriterIdle = true;
        }
        else if (writerSilentMs >= writerIdleMs)
        {
            writerSilentMs = 0;
            ctx.fireUserEventTriggered(firstWriterIdle ?
                IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT : IdleStateEvent.WRITER_IDLE_STATE_EVENT);
            firstWriterIdle = false;
        }
    }
}
