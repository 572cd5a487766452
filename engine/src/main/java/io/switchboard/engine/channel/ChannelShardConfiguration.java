package io.switchboard.engine.channel;

import org.agrona.SystemUtil;

/**
 * Property names, defaults and bounds of a {@link ChannelShardContext}; each static getter reads its system
 * property or falls back to the default.
 * <p>
 * Stateless and thread-safe.
 */
public final class ChannelShardConfiguration
{
    /**
     * Bytes of a shard's history log: a power of two (size suffixes k, m, g accepted).
     */
    public static final String HISTORY_BYTES_PROP_NAME = "switchboard.channel.historyBytes";

    /**
     * Default history log size: 64 MiB.
     */
    public static final int HISTORY_BYTES_DEFAULT = 64 * 1024 * 1024;

    /**
     * Most messages one HistoryResponse carries, whatever the request asks.
     */
    public static final String MAX_HISTORY_MESSAGES_PROP_NAME = "switchboard.channel.maxHistoryMessages";

    /**
     * Default most messages per HistoryResponse.
     */
    public static final int MAX_HISTORY_MESSAGES_DEFAULT = 1000;

    /**
     * Upper bound of the most messages per HistoryResponse: an SBE group holds at most this many entries.
     */
    public static final int MAX_HISTORY_MESSAGES_LIMIT = 65534;

    /**
     * Most bytes one HistoryResponse takes, unless a single message is larger (size suffixes accepted).
     */
    public static final String MAX_RESPONSE_BYTES_PROP_NAME = "switchboard.channel.maxResponseBytes";

    /**
     * Default most bytes per HistoryResponse: 120 KiB.
     */
    public static final int MAX_RESPONSE_BYTES_DEFAULT = 120 * 1024;

    /**
     * Upper bound of the most bytes per HistoryResponse.
     */
    public static final int MAX_RESPONSE_BYTES_LIMIT = 16 * 1024 * 1024;

    /**
     * Bits of an epoch left below the wall-clock base for the shard's channel-creation counter: a restarted shard
     * starts 2^20 epochs per elapsed millisecond higher, more than any shard can create, so it never reuses an
     * earlier life's epoch.
     */
    public static final int EPOCH_COUNTER_BITS = 20;

    private ChannelShardConfiguration()
    {
    }

    /**
     * @return {@link #HISTORY_BYTES_PROP_NAME} or its default.
     */
    public static int historyBytes()
    {
        return SystemUtil.getSizeAsInt(HISTORY_BYTES_PROP_NAME, HISTORY_BYTES_DEFAULT);
    }

    /**
     * @return {@link #MAX_HISTORY_MESSAGES_PROP_NAME} or its default.
     */
    public static int maxHistoryMessages()
    {
        return Integer.getInteger(MAX_HISTORY_MESSAGES_PROP_NAME, MAX_HISTORY_MESSAGES_DEFAULT);
    }

    /**
     * @return {@link #MAX_RESPONSE_BYTES_PROP_NAME} or its default.
     */
    public static int maxResponseBytes()
    {
        return SystemUtil.getSizeAsInt(MAX_RESPONSE_BYTES_PROP_NAME, MAX_RESPONSE_BYTES_DEFAULT);
    }
}
