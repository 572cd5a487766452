package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.switchboard.gateway.GatewayMetrics;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes fanned-out frames to the sessions of one event loop with smart batching: the loop drains every delivery
 * queued since it last ran, writes each to its sessions without flushing, then flushes every touched session once.
 * When the loop keeps up, that is one flush per delivery; when it falls behind, several deliveries share one
 * flush (one syscall) per session, so a burst costs fewer syscalls instead of more latency.
 * <p>
 * Frames arrive already encoded as whole WebSocket frames and are written from the session's frame-encoder context,
 * so each delivery costs one pooled duplicate and one outbound-buffer entry: no frame object, no header buffer, no
 * promise.
 * <p>
 * Frames for one session ({@link #offerSingle}: acks, history, errors) take the same queue, so a session sees them in
 * the order the core produced them relative to channel events ({@code subscribed} before the first message).
 * <p>
 * Fan-out deliveries are pooled: the core takes one from {@code free}, the loop gives it back once written, so
 * steady fan-out allocates nothing.
 * <p>
 * Thread-safety: {@link #offer} is called by the gateway core's thread only (it is the only consumer of the pool);
 * {@link #offerSingle} from any thread; {@link #run} runs on the event loop only.
 */
final class LoopWriter implements Runnable
{
    /** Deliveries written between flushes at most, so reads on the loop are not starved by a long backlog. */
    private static final int MAX_DELIVERIES_PER_RUN = 64;
    static final int QUEUE_CAPACITY = 16 * 1024;

    private final EventLoop loop;
    private final int loopIndex;
    private final GatewayMetrics metrics;
    private final long slowGraceNs;
    private final long hardLimitBytes;
    private final ManyToOneConcurrentArrayQueue<Delivery> pending = new ManyToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    private final OneToOneConcurrentArrayQueue<Delivery> free = new OneToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger overflowTasks = new AtomicInteger();
    private final ArrayList<GatewaySession> toFlush = new ArrayList<>();

    /**
     * @param loop           the event loop.
     * @param loopIndex      its index: the sessions this writer writes to are those with this loop index.
     * @param metrics        where frames are counted.
     * @param slowGraceNs    how long a session may stay past the high-water mark.
     * @param hardLimitBytes outbound bytes past which a session is slow at once.
     */
    LoopWriter(
        final EventLoop loop,
        final int loopIndex,
        final GatewayMetrics metrics,
        final long slowGraceNs,
        final long hardLimitBytes)
    {
        this.loop = loop;
        this.loopIndex = loopIndex;
        this.metrics = metrics;
        this.slowGraceNs = slowGraceNs;
        this.hardLimitBytes = hardLimitBytes;
    }

    /**
     * Queue one frame for the sessions and wake the loop if it is not already going to run.
     *
     * @param sessions        a channel's sessions, of every loop; only those of this loop are written to.
     * @param count           how many of the array are sessions; these never change after this call.
     * @param frame           a whole encoded WebSocket frame; ownership of one reference passes to this call.
     * @param excludedSession session id not to write to, or -1.
     * @param publishedNs     publish timestamp (epoch ns) to record delivery latency from, or 0.
     */
    void offer(
        final GatewaySession[] sessions,
        final int count,
        final ByteBuf frame,
        final long excludedSession,
        final long publishedNs)
    {
        Delivery delivery = free.poll();
        if (null == delivery)
        {
            delivery = new Delivery(true);
        }
        delivery.set(sessions, count, null, frame, excludedSession, publishedNs);
        enqueue(delivery);
    }

    /**
     * Queue one JSON frame for one session, behind everything queued for this loop before it.
     *
     * @param session the session.
     * @param json    the frame's UTF-8 JSON; ownership passes to this call.
     */
    void offerSingle(final GatewaySession session, final ByteBuf json)
    {
        final Delivery delivery = new Delivery(false);
        delivery.set(null, 0, session, json, -1, 0);
        enqueue(delivery);
    }

    private void enqueue(final Delivery delivery)
    {
        // While overflow tasks wait, everything after them must wait behind them too, or a delivery offered once
        // the queue has room again would be written before older ones still in a task.
        if (overflowTasks.get() > 0 || !pending.offer(delivery))
        {
            // The loop is a whole queue behind: keep order and lose nothing by queueing behind it as a task.
            overflowTasks.incrementAndGet();
            try
            {
                loop.execute(() -> writeOverflow(delivery));
            }
            catch (final RejectedExecutionException ex)
            {
                overflowTasks.decrementAndGet();
                delivery.release();
            }
            return;
        }
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            try
            {
                loop.execute(this);
            }
            catch (final RejectedExecutionException ex)
            {
                // The gateway is stopping and its loops are gone: nothing will write these frames.
                pending.drain(Delivery::release);
            }
        }
    }

    public void run()
    {
        while (true)
        {
            final int drained = pending.drain(this::write, MAX_DELIVERIES_PER_RUN);
            flushTouched();
            if (drained == MAX_DELIVERIES_PER_RUN && !pending.isEmpty())
            {
                // Let the loop serve reads and other tasks, then continue.
                loop.execute(this);
                return;
            }
            scheduled.set(false);
            if (pending.isEmpty() || !scheduled.compareAndSet(false, true))
            {
                return;
            }
        }
    }

    private void writeOverflow(final Delivery delivery)
    {
        // Everything queued before the overflow goes first, so the order per session holds.
        pending.drain(this::write);
        write(delivery);
        flushTouched();
        overflowTasks.decrementAndGet();
    }

    private void write(final Delivery delivery)
    {
        if (null != delivery.single)
        {
            writeSingle(delivery.single, delivery.frame);
            delivery.clear();
            return;
        }
        final ByteBuf frame = delivery.frame;
        int written = 0;
        try
        {
            final GatewaySession[] sessions = delivery.sessions;
            for (int i = 0, count = delivery.count; i < count; i++)
            {
                final GatewaySession session = sessions[i];
                if (session.loopIndex() != loopIndex || session.id() == delivery.excludedSession ||
                    session.isClosing())
                {
                    continue;
                }
                final Channel channel = session.channel();
                if (!channel.isActive())
                {
                    continue;
                }
                final ChannelHandlerContext writer = session.frameWriter();
                if (null == writer)
                {
                    continue;
                }
                if (isSlowConsumer(session, channel))
                {
                    session.closeSlowConsumer();
                    continue;
                }
                writer.write(frame.retainedDuplicate(), writer.voidPromise());
                if (!session.flushPending)
                {
                    session.flushPending = true;
                    toFlush.add(session);
                }
                written++;
            }
        }
        finally
        {
            frame.release();
        }
        if (written > 0)
        {
            metrics.framesOut(written);
            if (0 != delivery.publishedNs)
            {
                metrics.delivered(EpochClock.nanos() - delivery.publishedNs);
            }
        }
        delivery.clear();
        if (delivery.pooled)
        {
            free.offer(delivery);
        }
    }

    /**
     * A session is slow when its outbound buffer stays past the high-water mark for the grace period, or grows past
     * the hard limit. A burst (a batch written at once, before the client had a chance to read) is not slowness.
     */
    private boolean isSlowConsumer(final GatewaySession session, final Channel channel)
    {
        if (channel.isWritable())
        {
            session.unwritableSinceNs = 0;
            return false;
        }
        if (session.flushPending)
        {
            // Unflushed frames of this batch count too: hand them to the socket before judging.
            channel.flush();
            if (channel.isWritable())
            {
                session.unwritableSinceNs = 0;
                return false;
            }
        }
        final long nowNs = System.nanoTime();
        if (0 == session.unwritableSinceNs)
        {
            session.unwritableSinceNs = nowNs;
        }
        return nowNs - session.unwritableSinceNs >= slowGraceNs || channel.bytesBeforeWritable() > hardLimitBytes;
    }

    private void writeSingle(final GatewaySession session, final ByteBuf json)
    {
        final Channel channel = session.channel();
        if (session.isClosing() || !channel.isActive())
        {
            json.release();
            return;
        }
        metrics.frameOut();
        channel.write(new TextWebSocketFrame(json), channel.voidPromise());
        if (!session.flushPending)
        {
            session.flushPending = true;
            toFlush.add(session);
        }
    }

    private void flushTouched()
    {
        final ArrayList<GatewaySession> sessions = toFlush;
        for (int i = 0, size = sessions.size(); i < size; i++)
        {
            final GatewaySession session = sessions.get(i);
            session.flushPending = false;
            // From the encoder's context: the handlers between the tail and the encoder have nothing to flush.
            final ChannelHandlerContext writer = session.frameWriter();
            if (null != writer)
            {
                writer.flush();
            }
            else
            {
                session.channel().flush();
            }
        }
        sessions.clear();
    }

    private static final class Delivery
    {
        final boolean pooled;
        GatewaySession[] sessions;
        int count;
        GatewaySession single;
        ByteBuf frame;
        long excludedSession;
        long publishedNs;

        Delivery(final boolean pooled)
        {
            this.pooled = pooled;
        }

        void set(
            final GatewaySession[] sessions,
            final int count,
            final GatewaySession single,
            final ByteBuf frame,
            final long excludedSession,
            final long ns)
        {
            this.sessions = sessions;
            this.count = count;
            this.single = single;
            this.frame = frame;
            this.excludedSession = excludedSession;
            this.publishedNs = ns;
        }

        void release()
        {
            if (null != frame)
            {
                frame.release();
            }
            clear();
        }

        void clear()
        {
            sessions = null;
            single = null;
            frame = null;
        }
    }
}
