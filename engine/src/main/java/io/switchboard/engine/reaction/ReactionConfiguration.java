package io.switchboard.engine.reaction;

import org.agrona.SystemUtil;

import java.util.concurrent.TimeUnit;

/**
 * Settings of a {@link ReactionBatcher}: each a system property name, a default and a getter that reads the
 * property.
 * <p>
 * Thread-safe: stateless.
 */
public final class ReactionConfiguration
{
    /**
     * Length of a reaction window ("100ms" style durations accepted).
     */
    public static final String WINDOW_PROP_NAME = "switchboard.reaction.window";

    /**
     * Default of {@link #WINDOW_PROP_NAME}: short enough to feel live, long enough that a burst of reactions
     * becomes one message per subscribed gateway.
     */
    public static final long WINDOW_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Most distinct emoji counted in one window of one (channel, target); reactions with further emoji are dropped
     * and counted, which bounds both memory and the size of a batch.
     */
    public static final String MAX_EMOJI_PER_WINDOW_PROP_NAME = "switchboard.reaction.max.emoji.per.window";

    /**
     * Default of {@link #MAX_EMOJI_PER_WINDOW_PROP_NAME}.
     */
    public static final int MAX_EMOJI_PER_WINDOW_DEFAULT = 64;

    /**
     * Idle window objects kept for reuse; beyond this they are left to the garbage collector.
     */
    public static final String WINDOW_POOL_SIZE_PROP_NAME = "switchboard.reaction.window.pool.size";

    /**
     * Default of {@link #WINDOW_POOL_SIZE_PROP_NAME}.
     */
    public static final int WINDOW_POOL_SIZE_DEFAULT = 1024;

    private ReactionConfiguration()
    {
    }

    /**
     * @return {@link #WINDOW_PROP_NAME} in nanoseconds, or its default.
     */
    public static long windowNs()
    {
        return SystemUtil.getDurationInNanos(WINDOW_PROP_NAME, WINDOW_DEFAULT_NS);
    }

    /**
     * @return {@link #MAX_EMOJI_PER_WINDOW_PROP_NAME} or its default.
     */
    public static int maxEmojiPerWindow()
    {
        return Integer.getInteger(MAX_EMOJI_PER_WINDOW_PROP_NAME, MAX_EMOJI_PER_WINDOW_DEFAULT);
    }

    /**
     * @return {@link #WINDOW_POOL_SIZE_PROP_NAME} or its default.
     */
    public static int windowPoolSize()
    {
        return Integer.getInteger(WINDOW_POOL_SIZE_PROP_NAME, WINDOW_POOL_SIZE_DEFAULT);
    }
}
