package io.switchboard.engine.channel;

import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;

/**
 * Configuration of a {@link ChannelShard}: each setting starts from {@link ChannelShardConfiguration} (system
 * property or default) and has a fluent setter; {@link #conclude()} validates them once.
 * <p>
 * Not thread-safe: build it on one thread, then hand it to the shard.
 */
public final class ChannelShardContext
{
    private boolean isConcluded;
    private int historyBytes = ChannelShardConfiguration.historyBytes();
    private int maxHistoryMessages = ChannelShardConfiguration.maxHistoryMessages();
    private int maxResponseBytes = ChannelShardConfiguration.maxResponseBytes();
    private KeyHasher keyHasher = DefaultKeyHasher.INSTANCE;
    private OutboundSink outboundSink;
    private long epochBase;

    /**
     * Validate the settings and fill in derived defaults. Called by the shard's constructor.
     *
     * @return this.
     * @throws IllegalStateException    when already concluded.
     * @throws IllegalArgumentException when a setting is out of range or missing.
     */
    public ChannelShardContext conclude()
    {
        if (isConcluded)
        {
            throw new IllegalStateException("Context already concluded");
        }
        isConcluded = true;

        if (null == outboundSink)
        {
            throw new IllegalArgumentException("outboundSink must be set");
        }

        if (null == keyHasher)
        {
            throw new IllegalArgumentException("keyHasher must be set");
        }

        if (historyBytes < HistoryLog.MAX_ENTRY_LENGTH || Integer.bitCount(historyBytes) != 1)
        {
            throw new IllegalArgumentException(
                "historyBytes must be a power of two >= " + HistoryLog.MAX_ENTRY_LENGTH + ": " + historyBytes);
        }

        if (maxHistoryMessages <= 0 || maxHistoryMessages > ChannelShardConfiguration.MAX_HISTORY_MESSAGES_LIMIT)
        {
            throw new IllegalArgumentException("maxHistoryMessages must be in 1.." +
                ChannelShardConfiguration.MAX_HISTORY_MESSAGES_LIMIT + ": " + maxHistoryMessages);
        }

        if (maxResponseBytes <= 0 || maxResponseBytes > ChannelShardConfiguration.MAX_RESPONSE_BYTES_LIMIT)
        {
            throw new IllegalArgumentException("maxResponseBytes must be in 1.." +
                ChannelShardConfiguration.MAX_RESPONSE_BYTES_LIMIT + ": " + maxResponseBytes);
        }

        if (epochBase < 0)
        {
            throw new IllegalArgumentException("epochBase must not be negative: " + epochBase);
        }

        if (0 == epochBase)
        {
            epochBase = System.currentTimeMillis() << ChannelShardConfiguration.EPOCH_COUNTER_BITS;
        }

        return this;
    }

    /**
     * @param historyBytes capacity of the history log: a power of two that holds the largest entry.
     * @return this.
     * @see ChannelShardConfiguration#HISTORY_BYTES_PROP_NAME
     */
    public ChannelShardContext historyBytes(final int historyBytes)
    {
        this.historyBytes = historyBytes;
        return this;
    }

    public int historyBytes()
    {
        return historyBytes;
    }

    /**
     * @param maxHistoryMessages most messages per HistoryResponse, whatever a request asks.
     * @return this.
     * @see ChannelShardConfiguration#MAX_HISTORY_MESSAGES_PROP_NAME
     */
    public ChannelShardContext maxHistoryMessages(final int maxHistoryMessages)
    {
        this.maxHistoryMessages = maxHistoryMessages;
        return this;
    }

    public int maxHistoryMessages()
    {
        return maxHistoryMessages;
    }

    /**
     * @param maxResponseBytes most bytes per HistoryResponse, unless one message alone is larger.
     * @return this.
     * @see ChannelShardConfiguration#MAX_RESPONSE_BYTES_PROP_NAME
     */
    public ChannelShardContext maxResponseBytes(final int maxResponseBytes)
    {
        this.maxResponseBytes = maxResponseBytes;
        return this;
    }

    public int maxResponseBytes()
    {
        return maxResponseBytes;
    }

    /**
     * @param keyHasher turns channel names into 64-bit keys; tests pass one that collides on purpose.
     * @return this.
     */
    public ChannelShardContext keyHasher(final KeyHasher keyHasher)
    {
        this.keyHasher = keyHasher;
        return this;
    }

    public KeyHasher keyHasher()
    {
        return keyHasher;
    }

    /**
     * @param outboundSink where every reply and event goes; required.
     * @return this.
     */
    public ChannelShardContext outboundSink(final OutboundSink outboundSink)
    {
        this.outboundSink = outboundSink;
        return this;
    }

    public OutboundSink outboundSink()
    {
        return outboundSink;
    }

    /**
     * @param epochBase first epoch of this shard's life; 0 (the default) derives it from the wall clock at
     *                  {@link #conclude()}, so a restarted shard never hands out an earlier life's epoch.
     * @return this.
     */
    public ChannelShardContext epochBase(final long epochBase)
    {
        this.epochBase = epochBase;
        return this;
    }

    public long epochBase()
    {
        return epochBase;
    }
}
