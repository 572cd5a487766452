package io.switchboard.gateway.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.switchboard.gateway.auth.ConnectProxy;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.auth.TokenService;
import io.switchboard.gateway.core.GatewaySession;
import io.switchboard.gateway.http.HttpResponses;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * Authenticates a WebSocket upgrade before the handshake: verifies the {@code token} query parameter and, when a
 * connect proxy is configured, asks it for the user's channels while reads are paused. The result is left on the
 * channel for {@link SessionHandler}: a {@link Principal}, or a failure with its close code. A failed token still
 * completes the handshake so that the client sees close code 4001 and the reason, which an HTTP 401 would hide
 * from browsers.
 * <p>
 * Thread-safety: one instance per connection, on its event loop.
 */
public final class WebSocketAuthHandler extends ChannelInboundHandlerAdapter
{
    /** The authenticated principal. */
    public static final AttributeKey<Principal> PRINCIPAL = AttributeKey.valueOf("switchboard.principal");
    /** Why the connection must be refused once the handshake completes. */
    public static final AttributeKey<String> FAILURE = AttributeKey.valueOf("switchboard.failure");
    /** Close code to refuse with. */
    public static final AttributeKey<Integer> FAILURE_CODE = AttributeKey.valueOf("switchboard.failureCode");

    private final String path;
    private final TokenService tokens;
    private final ConnectProxy proxy;
    private final BooleanSupplier draining;

    /**
     * @param path     the WebSocket path, e.g. /ws.
     * @param tokens   verifies tokens.
     * @param proxy    the connect proxy, or null.
     * @param draining true while the gateway drains: new connections are refused with 503.
     */
    public WebSocketAuthHandler(
        final String path, final TokenService tokens, final ConnectProxy proxy, final BooleanSupplier draining)
    {
        this.path = path;
        this.tokens = tokens;
        this.proxy = proxy;
        this.draining = draining;
    }

    /**
     * {@inheritDoc}
     */
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof FullHttpRequest request))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        final QueryStringDecoder query = new QueryStringDecoder(request.uri());
        // Same paths as the WebSocket handshake handler, which also takes /ws/... and /ws?...
        if (!path.equals(query.path()) && !query.path().startsWith(path + "/"))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        if (draining.getAsBoolean())
        {
            HttpResponses.error(ctx.channel(), request, HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                "this gateway is draining; connect to another");
            request.release();
            return;
        }

        final Channel channel = ctx.channel();
        final List<String> values = query.parameters().get("token");
        final Principal principal;
        try
        {
            principal = tokens.verify(null == values || values.isEmpty() ? null : values.get(0));
        }
        catch (final TokenService.InvalidTokenException ex)
        {
            refuse(channel, GatewaySession.CLOSE_BAD_TOKEN, ex.getMessage());
            ctx.fireChannelRead(msg);
            return;
        }

        if (null == proxy)
        {
            channel.attr(PRINCIPAL).set(principal);
            ctx.fireChannelRead(msg);
            return;
        }

        channel.config().setAutoRead(false);
        proxy.channelsOf(principal.user()).whenComplete((channels, error) -> ctx.executor().execute(() ->
        {
            if (null != error)
            {
                final Throwable cause = error instanceof CompletionException && null != error.getCause() ?
                    error.getCause() : error;
                refuse(channel, GatewaySession.CLOSE_TRY_AGAIN_LATER, cause.getMessage());
            }
            else
            {
                channel.attr(PRINCIPAL).set(principal.withChannels(channels));
            }
            ctx.fireChannelRead(msg);
            channel.config().setAutoRead(true);
        }));
    }

    private static void refuse(final Channel channel, final int code, final String reason)
    {
        channel.attr(FAILURE).set(null == reason ? "refused" : reason);
        channel.attr(FAILURE_CODE).set(code);
    }
}
