package io.switchboard.gateway.core;

import io.switchboard.codecs.HistoryResponseDecoder;

import java.util.List;

/**
 * Where the answer to a request goes: a WebSocket session (as a frame carrying the request's ref) or an HTTP
 * exchange (as a response). Every request ends in exactly one call.
 * <p>
 * Called on the gateway core's thread; implementations hand the answer to the connection's event loop.
 */
public interface RequestOrigin
{
    /**
     * A publish was sequenced.
     *
     * @param frames    encoder to build the answer with.
     * @param channel   the channel.
     * @param seq       assigned seq.
     * @param epoch     the channel's epoch.
     * @param messageId the message id.
     */
    void onAck(ClientFrames frames, String channel, long seq, long epoch, String messageId);

    /**
     * History arrived.
     *
     * @param frames  encoder to build the answer with.
     * @param decoder wrapped over the answer, nothing read yet past the header.
     */
    void onHistory(ClientFrames frames, HistoryResponseDecoder decoder);

    /**
     * A presence query is complete.
     *
     * @param frames  encoder to build the answer with.
     * @param updates status of every user asked about.
     */
    void onPresence(ClientFrames frames, List<UserStatus> updates);

    /**
     * The request failed.
     *
     * @param frames  encoder to build the answer with.
     * @param code    client protocol error code (bad_request, forbidden, unavailable, ...).
     * @param message for people.
     * @param channel the channel concerned, or null.
     */
    void onError(ClientFrames frames, String code, String message, String channel);
}
