package io.switchboard.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates HTTP requests like {@link HttpObjectAggregator}, but answers a body over the limit with the API's
 * JSON error (413 too_large) and closes, rather than an empty 413.
 * <p>
 * Thread-safety: one instance per connection, on its event loop.
 */
public final class JsonHttpObjectAggregator extends HttpObjectAggregator
{
    /**
     * @param maxContentLength largest request body.
     */
    public JsonHttpObjectAggregator(final int maxContentLength)
    {
        super(maxContentLength);
    }

    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        HttpResponses.error(ctx.channel(), false, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
            "the request body must be at most " + maxContentLength() + " bytes");
    }
}
