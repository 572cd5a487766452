package io.switchboard.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.codecs.HistoryResponseDecoder;
import io.switchboard.gateway.core.ClientFrames;
import io.switchboard.gateway.core.RequestOrigin;
import io.switchboard.gateway.core.UserStatus;

import java.util.List;

/**
 * Answers a request of the HTTP server API with a response: 200 and a JSON body, or the error's status and
 * {@code {code, message}}.
 * <p>
 * Called on the gateway core's thread; the write is queued to the connection's event loop.
 */
final class HttpOrigin implements RequestOrigin
{
    private final Channel channel;
    private final boolean keepAlive;

    HttpOrigin(final Channel channel, final boolean keepAlive)
    {
        this.channel = channel;
        this.keepAlive = keepAlive;
    }

    public void onAck(
        final ClientFrames frames, final String channelName, final long seq, final long epoch, final String messageId)
    {
        HttpResponses.json(channel, keepAlive, HttpResponseStatus.OK, JsonNodeFactory.instance.objectNode()
            .put("channel", channelName).put("seq", seq).put("epoch", epoch).put("id", messageId));
    }

    public void onHistory(final ClientFrames frames, final HistoryResponseDecoder decoder)
    {
        HttpResponses.json(channel, keepAlive, HttpResponseStatus.OK, frames.history(null, false, decoder));
    }

    public void onPresence(final ClientFrames frames, final List<UserStatus> updates)
    {
        HttpResponses.json(channel, keepAlive, HttpResponseStatus.OK, frames.presenceBody(updates));
    }

    public void onError(final ClientFrames frames, final String code, final String message, final String channelName)
    {
        HttpResponses.error(channel, keepAlive, HttpResponses.statusOf(code), code,
            null == channelName ? message : message + " (channel " + channelName + ")");
    }
}
