package io.switchboard.gateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One subscribe request of a session over several channels: collects where each subscription starts and answers
 * with one {@code subscribed} frame once every channel is settled; a channel that fails gets its own error frame.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class SubscribeBatch
{
    private final GatewaySession session;
    private final String refJson;
    private final List<ClientFrames.SubscribedChannel> subscribed = new ArrayList<>();
    private int remaining;

    SubscribeBatch(final GatewaySession session, final String refJson, final int channels)
    {
        this.session = session;
        this.refJson = refJson;
        this.remaining = channels;
    }

    GatewaySession session()
    {
        return session;
    }

    void resolved(final ClientFrames frames, final String channel, final long seq, final long epoch)
    {
        subscribed.add(new ClientFrames.SubscribedChannel(channel, seq, epoch));
        settle(frames);
    }

    void failed(final ClientFrames frames, final Errors errors, final String code, final String message,
        final String channel)
    {
        errors.send(session, code, message, refJson, channel);
        settle(frames);
    }

    void cancelled(final ClientFrames frames)
    {
        settle(frames);
    }

    private void settle(final ClientFrames frames)
    {
        if (--remaining == 0 && !subscribed.isEmpty() && !session.closed)
        {
            session.send(frames.subscribed(refJson, subscribed));
        }
    }
}
