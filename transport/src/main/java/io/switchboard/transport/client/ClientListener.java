package io.switchboard.transport.client;

import io.switchboard.codecs.ErrorCode;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Map;

/**
 * What a {@link SwitchboardClient} tells its application. Every callback runs on the thread that calls
 * {@link SwitchboardClient#poll()}; buffers passed in are valid only during the callback.
 */
public interface ClientListener
{
    /**
     * A subscription is in place (again, after a host returned).
     *
     * @param correlationId of the request, or 0 for an automatic re-subscription.
     * @param channel       the channel.
     * @param seq           last seq the channel has assigned.
     * @param epoch         the channel's current epoch.
     */
    default void onSubscribed(long correlationId, String channel, long seq, long epoch)
    {
    }

    /**
     * A persistent message on a subscribed channel.
     *
     * @param channel     the channel.
     * @param seq         gap-free within epoch.
     * @param epoch       the channel's epoch.
     * @param timestampNs when it was published.
     * @param user        who published it.
     * @param messageId   publisher's id.
     * @param payload     buffer holding the payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     */
    default void onMessage(
        String channel, long seq, long epoch, long timestampNs, String user, String messageId,
        DirectBuffer payload, int offset, int length)
    {
    }

    /**
     * Messages were missed (seq jumped); the client has already asked for them through history.
     *
     * @param channel  the channel.
     * @param expected the seq that should have come.
     * @param received the seq that came.
     */
    default void onGap(String channel, long expected, long received)
    {
    }

    /**
     * A transient event (typing, cursor) on a subscribed channel.
     *
     * @param channel     the channel.
     * @param user        who sent it.
     * @param eventName   its name.
     * @param timestampNs when it was sent; drop it when older than ttlMs.
     * @param ttlMs       time to live.
     * @param payload     buffer holding the payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     */
    default void onTransient(
        String channel, String user, String eventName, long timestampNs, int ttlMs,
        DirectBuffer payload, int offset, int length)
    {
    }

    /**
     * A batch of reaction counts for one target in one window.
     *
     * @param channel the channel.
     * @param target  what was reacted to.
     * @param counts  emoji to count.
     */
    default void onReactions(String channel, String target, Map<String, Long> counts)
    {
    }

    /**
     * A publish was sequenced.
     *
     * @param correlationId of the publish.
     * @param channel       the channel.
     * @param seq           assigned seq.
     * @param epoch         the channel's epoch.
     * @param messageId     publisher's id.
     */
    default void onPublishAck(long correlationId, String channel, long seq, long epoch, String messageId)
    {
    }

    /**
     * Answer to a history request.
     *
     * @param correlationId of the request.
     * @param channel       the channel.
     * @param epoch         the channel's current epoch.
     * @param lastSeq       last seq the channel has assigned: ask again from the last message when larger.
     * @param complete      false when the range was evicted or the epoch changed.
     * @param messages      in seq order.
     */
    default void onHistory(
        long correlationId, String channel, long epoch, long lastSeq, boolean complete, List<HistoryMessage> messages)
    {
    }

    /**
     * A request failed; the client never leaves one hanging: a lost host or a missing reply ends here too.
     *
     * @param correlationId of the request.
     * @param code          what went wrong.
     * @param channel       the channel concerned, or empty.
     * @param message       for people.
     */
    default void onError(long correlationId, ErrorCode code, String channel, String message)
    {
    }

    /**
     * A channel host stopped answering: its channels are unavailable until it returns.
     *
     * @param nodeId of the host.
     */
    default void onHostLost(int nodeId)
    {
    }

    /**
     * A channel host answers again; the client re-subscribes its channels.
     *
     * @param nodeId    of the host.
     * @param restarted true when it restarted and lost its state (expect new epochs).
     */
    default void onHostUp(int nodeId, boolean restarted)
    {
    }

    /**
     * One message of a history answer.
     *
     * @param seq         its seq.
     * @param timestampNs when it was published.
     * @param user        who published it.
     * @param messageId   publisher's id.
     * @param payload     its bytes.
     */
    record HistoryMessage(long seq, long timestampNs, String user, String messageId, byte[] payload)
    {
    }
}
