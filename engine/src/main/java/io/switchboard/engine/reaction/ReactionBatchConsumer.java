package io.switchboard.engine.reaction;

import org.agrona.DirectBuffer;

/**
 * Receives each ReactionBatch the {@link ReactionBatcher} emits, with the channel name so the caller can look up
 * the channel's subscribers. Both buffers are reused after the call returns.
 */
@FunctionalInterface
public interface ReactionBatchConsumer
{
    /**
     * @param channel       holding the channel name.
     * @param channelOffset of its first byte.
     * @param channelLength in bytes.
     * @param message       holding the encoded ReactionBatch, starting with the SBE message header.
     * @param messageOffset of the header.
     * @param messageLength of header plus body.
     */
    void onBatch(
        DirectBuffer channel,
        int channelOffset,
        int channelLength,
        DirectBuffer message,
        int messageOffset,
        int messageLength);
}
