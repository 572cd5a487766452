package io.switchboard.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Writes HTTP responses: JSON bodies with a content length, keep-alive honoured, and errors always as
 * {@code {"code": ..., "message": ...}} (never a stack trace).
 * <p>
 * Thread-safe: writes may come from any thread; Netty runs them on the channel's event loop.
 */
public final class HttpResponses
{
    /** How long a closing connection keeps reading (and dropping) what the client still sends. */
    static final long LINGER_MS = 2_000;

    /** JSON content type. */
    public static final String JSON = "application/json; charset=utf-8";

    private HttpResponses()
    {
    }

    /**
     * @param channel   where.
     * @param keepAlive whether the connection stays open.
     * @param status    HTTP status.
     * @param body      JSON body; ownership passes to this call.
     */
    public static void json(
        final Channel channel, final boolean keepAlive, final HttpResponseStatus status, final ByteBuf body)
    {
        write(channel, keepAlive, status, JSON, body);
    }

    /**
     * @param channel   where.
     * @param keepAlive whether the connection stays open.
     * @param status    HTTP status.
     * @param body      JSON body.
     */
    public static void json(
        final Channel channel, final boolean keepAlive, final HttpResponseStatus status, final ObjectNode body)
    {
        write(channel, keepAlive, status, JSON,
            Unpooled.wrappedBuffer(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param channel where.
     * @param request being answered (for keep-alive).
     * @param status  HTTP status.
     * @param code    error code.
     * @param message for people.
     */
    public static void error(
        final Channel channel,
        final HttpRequest request,
        final HttpResponseStatus status,
        final String code,
        final String message)
    {
        error(channel, HttpUtil.isKeepAlive(request), status, code, message);
    }

    /**
     * @param channel   where.
     * @param keepAlive whether the connection stays open.
     * @param status    HTTP status.
     * @param code      error code.
     * @param message   for people.
     */
    public static void error(
        final Channel channel,
        final boolean keepAlive,
        final HttpResponseStatus status,
        final String code,
        final String message)
    {
        final ObjectNode body = JsonNodeFactory.instance.objectNode().put("code", code).put("message", message);
        json(channel, keepAlive, status, body);
    }

    /**
     * @param code client protocol error code.
     * @return the HTTP status for it.
     */
    public static HttpResponseStatus statusOf(final String code)
    {
        return switch (code)
        {
            case "bad_request", "unknown_type" -> HttpResponseStatus.BAD_REQUEST;
            case "forbidden" -> HttpResponseStatus.FORBIDDEN;
            case "not_found" -> HttpResponseStatus.NOT_FOUND;
            case "too_large" -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case "rate_limited" -> HttpResponseStatus.TOO_MANY_REQUESTS;
            default -> HttpResponseStatus.SERVICE_UNAVAILABLE;
        };
    }

    /**
     * @param channel     where.
     * @param keepAlive   whether the connection stays open.
     * @param status      HTTP status.
     * @param contentType of the body.
     * @param body        ownership passes to this call.
     */
    public static void write(
        final Channel channel,
        final boolean keepAlive,
        final HttpResponseStatus status,
        final String contentType,
        final ByteBuf body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, contentType)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        if (keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        else
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        final ChannelFuture future = channel.writeAndFlush(response);
        if (!keepAlive)
        {
            future.addListener((ChannelFutureListener)HttpResponses::closeGracefully);
        }
    }

    /**
     * Close after a response without losing it: a close with request bytes still unread (a body refused as too
     * large) makes the kernel send a reset, which can destroy the response before the client reads it. So the
     * output is shut down first (the client reads the response, then end of stream), the rest is read and dropped,
     * and the connection closes when the client closes it or after {@link #LINGER_MS}.
     */
    private static void closeGracefully(final ChannelFuture written)
    {
        final Channel channel = written.channel();
        if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex))
        {
            channel.close();
            return;
        }
        duplex.shutdownOutput().addListener(shut ->
            channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS));
    }
}
