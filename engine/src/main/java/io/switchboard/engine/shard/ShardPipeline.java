package io.switchboard.engine.shard;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import io.switchboard.engine.ShardHandler;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One shard: a Disruptor ring and exactly one handler thread that owns a {@link ShardHandler}'s state. Producers
 * copy messages into pre-allocated slots with {@link #offer}; when the ring is full they are told at once
 * ({@link #BACK_PRESSURED}) rather than made to wait, so back-pressure reaches whoever can act on it.
 * <p>
 * Thread-safety: {@link #offer} and {@link #tick} may be called from one producer thread at a time when the
 * context's {@code multiProducer} is false (the default: a host's inbound poller is the only producer), from any
 * threads otherwise. {@link #start} and {@link #close} are for the owning runtime's thread.
 */
public final class ShardPipeline implements AutoCloseable
{
    /**
     * The message was copied into the ring.
     */
    public static final int OFFERED = 0;

    /**
     * The ring is full: nothing was copied; retry later or report back-pressure upstream.
     */
    public static final int BACK_PRESSURED = -1;

    /**
     * The message is longer than {@link ShardContext#maxMessageLength()}: it will never be accepted.
     */
    public static final int TOO_LARGE = -2;

    /**
     * The pipeline is not running.
     */
    public static final int CLOSED = -3;

    private final ShardContext context;
    private final ShardHandler handler;
    private final Disruptor<ShardEvent> disruptor;
    private final AtomicLong handlerErrors = new AtomicLong();
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile RingBuffer<ShardEvent> ringBuffer;
    private volatile boolean closed;

    /**
     * @param context  validated configuration (conclude() is called here if it was not).
     * @param handler  the state this shard's thread owns; nothing else may touch it once started.
     */
    public ShardPipeline(final ShardContext context, final ShardHandler handler)
    {
        this.context = context.conclude();
        this.handler = handler;
        this.disruptor = new Disruptor<>(
            ShardEvent::new,
            context.ringSize(),
            runnable -> newThread(context.threadName(), runnable),
            context.multiProducer() ? com.lmax.disruptor.dsl.ProducerType.MULTI :
                com.lmax.disruptor.dsl.ProducerType.SINGLE,
            context.waitStrategy().newInstance());
        disruptor.handleEventsWith(new Dispatcher());
        disruptor.setDefaultExceptionHandler(new CountingExceptionHandler(context.errorHandler()));
    }

    /**
     * Start the shard thread and wait until it runs. Messages offered before this return {@link #CLOSED}.
     *
     * @return this for chaining.
     * @throws IllegalStateException if the thread is not running within the shutdown timeout.
     */
    public ShardPipeline start()
    {
        final RingBuffer<ShardEvent> ring = disruptor.start();
        try
        {
            // The Disruptor counts a processor's backlog only once its thread runs, so a close() racing a slow
            // thread start would halt it with messages still in the ring. Waiting here closes that window.
            if (!started.await(Math.max(context.shutdownTimeoutMs(), 1000), TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("shard thread " + context.threadName() + " did not start");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + context.threadName(), ex);
        }
        ringBuffer = ring;
        return this;
    }

    /**
     * Copy one SBE message into the ring for the shard thread.
     *
     * @param buffer holding the message.
     * @param offset of its header.
     * @param length of header plus body.
     * @return {@link #OFFERED}, {@link #BACK_PRESSURED}, {@link #TOO_LARGE} or {@link #CLOSED}.
     */
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > context.maxMessageLength())
        {
            return TOO_LARGE;
        }

        final RingBuffer<ShardEvent> ring = ringBuffer;
        if (null == ring || closed)
        {
            return CLOSED;
        }

        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            // The Disruptor throws a pre-allocated instance: this path allocates nothing.
            return BACK_PRESSURED;
        }

        final ShardEvent event = ring.get(sequence);
        try
        {
            event.kind = ShardEvent.MESSAGE;
            event.length = length;
            event.buffer.putBytes(0, buffer, offset, length);
        }
        finally
        {
            // Publish even if the copy failed so the ring never holds a hole; the handler sees length and kind.
            ring.publish(sequence);
        }

        return OFFERED;
    }

    /**
     * Ask the shard thread to run its time-driven work even when no message arrives.
     *
     * @param nowNs {@link System#nanoTime()} of the producer.
     * @return {@link #OFFERED}, {@link #BACK_PRESSURED} or {@link #CLOSED}.
     */
    public int tick(final long nowNs)
    {
        final RingBuffer<ShardEvent> ring = ringBuffer;
        if (null == ring || closed)
        {
            return CLOSED;
        }

        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return BACK_PRESSURED;
        }

        final ShardEvent event = ring.get(sequence);
        event.kind = ShardEvent.TICK;
        event.length = 0;
        event.timestampNs = nowNs;
        ring.publish(sequence);

        return OFFERED;
    }

    /**
     * @return true when at least one slot is free. With a single producer, a true answer holds until that
     * producer offers.
     */
    public boolean hasCapacity()
    {
        final RingBuffer<ShardEvent> ring = ringBuffer;
        return null != ring && !closed && ring.hasAvailableCapacity(1);
    }

    /**
     * @return slots free right now.
     */
    public long remainingCapacity()
    {
        final RingBuffer<ShardEvent> ring = ringBuffer;
        return null == ring ? 0 : ring.remainingCapacity();
    }

    /**
     * @return exceptions thrown by the handler, each reported to the context's error handler and skipped.
     */
    public long handlerErrors()
    {
        return handlerErrors.get();
    }

    /**
     * @return the configuration this pipeline runs with.
     */
    public ShardContext context()
    {
        return context;
    }

    /**
     * Stop accepting messages, let the shard thread process everything already in the ring, then stop it. If
     * that takes longer than the context's shutdown timeout the thread is halted and the rest is lost, which is
     * reported to the error handler.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;

        if (null == ringBuffer)
        {
            return;
        }

        try
        {
            disruptor.shutdown(context.shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
        }
        catch (final com.lmax.disruptor.TimeoutException ex)
        {
            context.errorHandler().onError(new IllegalStateException(
                "shard " + context.threadName() + " did not drain within " + context.shutdownTimeoutMs() + " ms"));
            disruptor.halt();
        }

        try
        {
            // halt() only signals the thread: wait for onShutdown so the owner sees the handler's final state.
            if (!stopped.await(context.shutdownTimeoutMs(), TimeUnit.MILLISECONDS))
            {
                context.errorHandler().onError(new IllegalStateException(
                    "shard " + context.threadName() + " did not stop within " + context.shutdownTimeoutMs() + " ms"));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread newThread(final String name, final Runnable runnable)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private final class Dispatcher implements EventHandler<ShardEvent>
    {
        public void onEvent(final ShardEvent event, final long sequence, final boolean endOfBatch)
        {
            try
            {
                if (ShardEvent.MESSAGE == event.kind)
                {
                    handler.onMessage(event.buffer, 0, event.length);
                }
                else if (ShardEvent.TICK == event.kind)
                {
                    handler.onTimer(event.timestampNs);
                }
            }
            finally
            {
                if (endOfBatch && ShardEvent.TICK != event.kind)
                {
                    // Batched work (reaction windows, flushes) belongs at the end of a batch.
                    handler.onTimer(System.nanoTime());
                }
            }
        }

        public void onStart()
        {
            try
            {
                handler.onStart();
            }
            finally
            {
                started.countDown();
            }
        }

        public void onShutdown()
        {
            try
            {
                handler.onShutdown();
            }
            finally
            {
                stopped.countDown();
            }
        }
    }

    private final class CountingExceptionHandler implements ExceptionHandler<ShardEvent>
    {
        private final ErrorHandler errorHandler;

        CountingExceptionHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
        }

        public void handleEventException(final Throwable ex, final long sequence, final ShardEvent event)
        {
            // One bad message must not stop the shard: count it, report it, move on.
            handlerErrors.incrementAndGet();
            errorHandler.onError(ex);
        }

        public void handleOnStartException(final Throwable ex)
        {
            errorHandler.onError(ex);
        }

        public void handleOnShutdownException(final Throwable ex)
        {
            errorHandler.onError(ex);
        }
    }
}
