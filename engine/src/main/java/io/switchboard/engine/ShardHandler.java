package io.switchboard.engine;

import org.agrona.DirectBuffer;

/**
 * State owned by one shard thread, fed with validated SBE messages by a {@link io.switchboard.engine.shard.ShardPipeline}.
 * <p>
 * Not thread-safe: every method is called from the shard's single handler thread.
 */
public interface ShardHandler
{
    /**
     * Apply one inbound message. The message has already passed
     * {@code io.switchboard.codecs.MessageValidator}: header, schema, template and var-data lengths are sound.
     *
     * @param buffer holding the message, starting with the SBE message header.
     * @param offset of the header.
     * @param length of header plus body.
     */
    void onMessage(DirectBuffer buffer, int offset, int length);

    /**
     * Work driven by time rather than messages (reaction windows, expiry). Called after each batch and when idle.
     *
     * @param nowNs monotonic time from {@link System#nanoTime()}.
     * @return amount of work done, 0 when none.
     */
    default int onTimer(final long nowNs)
    {
        return 0;
    }

    /**
     * Called once on the shard thread before the first message.
     */
    default void onStart()
    {
    }

    /**
     * Called once on the shard thread after the last message.
     */
    default void onShutdown()
    {
    }
}
