package io.switchboard.gateway.core;

import io.switchboard.codecs.HistoryResponseDecoder;

import java.util.List;

/**
 * Answers to a session's request go back to it as frames carrying the request's ref.
 * <p>
 * Called on the gateway core's thread.
 */
final class SessionOrigin implements RequestOrigin
{
    private final GatewaySession session;
    private final String refJson;
    private final Errors errors;

    SessionOrigin(final GatewaySession session, final String refJson, final Errors errors)
    {
        this.session = session;
        this.refJson = refJson;
        this.errors = errors;
    }

    public void onAck(
        final ClientFrames frames, final String channel, final long seq, final long epoch, final String messageId)
    {
        if (!session.closed)
        {
            session.send(frames.ack(refJson, channel, seq, epoch, messageId));
        }
    }

    public void onHistory(final ClientFrames frames, final HistoryResponseDecoder decoder)
    {
        if (!session.closed)
        {
            session.send(frames.history(refJson, true, decoder));
        }
    }

    public void onPresence(final ClientFrames frames, final List<UserStatus> updates)
    {
        if (!session.closed)
        {
            session.send(frames.presenceResult(refJson, updates));
        }
    }

    public void onError(final ClientFrames frames, final String code, final String message, final String channel)
    {
        errors.send(session, code, message, refJson, channel);
    }
}
