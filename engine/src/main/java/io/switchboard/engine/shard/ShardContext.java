package io.switchboard.engine.shard;

import org.agrona.ErrorHandler;

/**
 * Configuration of one shard pipeline, in the Aeron style: each setting has a system property, a default and a
 * fluent setter; {@link #conclude()} validates everything once.
 * <p>
 * Not thread-safe: build it on one thread, then hand it to the pipeline.
 */
public final class ShardContext
{
    /**
     * Ring slots per shard; a power of two.
     */
    public static final String RING_SIZE_PROP = "switchboard.shard.ringSize";
    /**
     * Default ring slots: enough to absorb a burst of a few milliseconds at a million messages a second.
     */
    public static final int RING_SIZE_DEFAULT = 8192;

    /**
     * blocking, sleeping, yielding or busy-spin.
     */
    public static final String WAIT_STRATEGY_PROP = "switchboard.shard.waitStrategy";
    /**
     * Blocking: right for shared and small machines.
     */
    public static final String WAIT_STRATEGY_DEFAULT = "blocking";

    /**
     * Largest message a slot accepts, in bytes.
     */
    public static final String MAX_MESSAGE_LENGTH_PROP = "switchboard.shard.maxMessageLength";
    /**
     * A 64 KiB payload with its names and header fits.
     */
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 128 * 1024;

    /**
     * How long close() lets the shard drain its ring, in milliseconds.
     */
    public static final String SHUTDOWN_TIMEOUT_MS_PROP = "switchboard.shard.shutdownTimeoutMs";
    /**
     * Default drain time on close.
     */
    public static final long SHUTDOWN_TIMEOUT_MS_DEFAULT = 5_000;

    private int ringSize = Integer.getInteger(RING_SIZE_PROP, RING_SIZE_DEFAULT);
    private WaitStrategyName waitStrategy =
        WaitStrategyName.parse(System.getProperty(WAIT_STRATEGY_PROP, WAIT_STRATEGY_DEFAULT));
    private int maxMessageLength = Integer.getInteger(MAX_MESSAGE_LENGTH_PROP, MAX_MESSAGE_LENGTH_DEFAULT);
    private long shutdownTimeoutMs = Long.getLong(SHUTDOWN_TIMEOUT_MS_PROP, SHUTDOWN_TIMEOUT_MS_DEFAULT);
    private boolean multiProducer = false;
    private String threadName = "switchboard-shard";
    private ErrorHandler errorHandler = Throwable::printStackTrace;
    private boolean concluded;

    /**
     * Validate the settings once.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public ShardContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException(RING_SIZE_PROP + " must be a power of two >= 2: " + ringSize);
        }
        if (maxMessageLength < 64)
        {
            throw new IllegalArgumentException(MAX_MESSAGE_LENGTH_PROP + " must be >= 64: " + maxMessageLength);
        }
        if (shutdownTimeoutMs < 0)
        {
            throw new IllegalArgumentException(SHUTDOWN_TIMEOUT_MS_PROP + " must be >= 0: " + shutdownTimeoutMs);
        }
        if (null == threadName || threadName.isEmpty())
        {
            throw new IllegalArgumentException("threadName must be set");
        }
        if (null == errorHandler || null == waitStrategy)
        {
            throw new IllegalArgumentException("errorHandler and waitStrategy must be set");
        }
        concluded = true;
        return this;
    }

    /**
     * @return ring slots.
     */
    public int ringSize()
    {
        return ringSize;
    }

    /**
     * @param ringSize ring slots, a power of two.
     * @return this.
     */
    public ShardContext ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    /**
     * @return how the shard thread waits.
     */
    public WaitStrategyName waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * @param waitStrategy how the shard thread waits.
     * @return this.
     */
    public ShardContext waitStrategy(final WaitStrategyName waitStrategy)
    {
        this.waitStrategy = waitStrategy;
        return this;
    }

    /**
     * @return largest accepted message.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @param maxMessageLength largest accepted message.
     * @return this.
     */
    public ShardContext maxMessageLength(final int maxMessageLength)
    {
        this.maxMessageLength = maxMessageLength;
        return this;
    }

    /**
     * @return drain time on close.
     */
    public long shutdownTimeoutMs()
    {
        return shutdownTimeoutMs;
    }

    /**
     * @param shutdownTimeoutMs drain time on close.
     * @return this.
     */
    public ShardContext shutdownTimeoutMs(final long shutdownTimeoutMs)
    {
        this.shutdownTimeoutMs = shutdownTimeoutMs;
        return this;
    }

    /**
     * @return whether several threads may offer at once.
     */
    public boolean multiProducer()
    {
        return multiProducer;
    }

    /**
     * @param multiProducer true when several threads may offer at once (costs a CAS per offer).
     * @return this.
     */
    public ShardContext multiProducer(final boolean multiProducer)
    {
        this.multiProducer = multiProducer;
        return this;
    }

    /**
     * @return name of the shard thread.
     */
    public String threadName()
    {
        return threadName;
    }

    /**
     * @param threadName name of the shard thread, seen in thread dumps and logs.
     * @return this.
     */
    public ShardContext threadName(final String threadName)
    {
        this.threadName = threadName;
        return this;
    }

    /**
     * @return where handler exceptions go.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param errorHandler where handler exceptions go; the shard keeps running.
     * @return this.
     */
    public ShardContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }
}
