package io.switchboard.transport;

import io.switchboard.codecs.ErrorCode;
import io.switchboard.transport.client.ClientListener;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what a client hears, for assertions.
 */
final class RecordingListener implements ClientListener
{
    record Message(String channel, long seq, long epoch, String user, String messageId, String payload)
    {
    }

    record Subscribed(long correlationId, String channel, long seq, long epoch)
    {
    }

    record Ack(long correlationId, String channel, long seq, long epoch, String messageId)
    {
    }

    record Error(long correlationId, ErrorCode code, String channel, String message)
    {
    }

    record History(long correlationId, String channel, long epoch, long lastSeq, boolean complete,
        List<HistoryMessage> messages)
    {
    }

    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<Subscribed> subscribed = new CopyOnWriteArrayList<>();
    final List<Ack> acks = new CopyOnWriteArrayList<>();
    final List<Error> errors = new CopyOnWriteArrayList<>();
    final List<History> histories = new CopyOnWriteArrayList<>();
    final List<String> transients = new CopyOnWriteArrayList<>();
    final List<Map<String, Long>> reactions = new CopyOnWriteArrayList<>();
    final List<Integer> hostsLost = new CopyOnWriteArrayList<>();
    final List<Integer> hostsUp = new CopyOnWriteArrayList<>();

    public void onSubscribed(final long correlationId, final String channel, final long seq, final long epoch)
    {
        subscribed.add(new Subscribed(correlationId, channel, seq, epoch));
    }

    public void onMessage(
        final String channel, final long seq, final long epoch, final long timestampNs, final String user,
        final String messageId, final DirectBuffer payload, final int offset, final int length)
    {
        messages.add(new Message(channel, seq, epoch, user, messageId, payload.getStringWithoutLengthUtf8(offset, length)));
    }

    public void onTransient(
        final String channel, final String user, final String eventName, final long timestampNs, final int ttlMs,
        final DirectBuffer payload, final int offset, final int length)
    {
        transients.add(channel + "/" + user + "/" + eventName);
    }

    public void onReactions(final String channel, final String target, final Map<String, Long> counts)
    {
        reactions.add(counts);
    }

    public void onPublishAck(
        final long correlationId, final String channel, final long seq, final long epoch, final String messageId)
    {
        acks.add(new Ack(correlationId, channel, seq, epoch, messageId));
    }

    public void onHistory(
        final long correlationId, final String channel, final long epoch, final long lastSeq, final boolean complete,
        final List<HistoryMessage> messages)
    {
        histories.add(new History(correlationId, channel, epoch, lastSeq, complete, messages));
    }

    public void onError(final long correlationId, final ErrorCode code, final String channel, final String message)
    {
        errors.add(new Error(correlationId, code, channel, message));
    }

    public void onHostLost(final int nodeId)
    {
        hostsLost.add(nodeId);
    }

    public void onHostUp(final int nodeId, final boolean restarted)
    {
        hostsUp.add(nodeId);
    }
}
