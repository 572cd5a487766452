package io.switchboard.gateway.session;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.gateway.auth.TokenService;
import io.switchboard.gateway.core.GatewaySession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication of WebSocket upgrades on an {@link EmbeddedChannel}.
 */
class WebSocketAuthHandlerTest
{
    private final TokenService tokens = new TokenService("embedded-secret-0123456789");
    private boolean draining;
    private final EmbeddedChannel channel = new EmbeddedChannel(
        new WebSocketAuthHandler("/ws", tokens, null, () -> draining));

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldLeaveThePrincipalOfAValidToken()
    {
        channel.writeInbound(upgrade("/ws?token=" + tokens.issue("alice", List.of("general"), 60)));

        final FullHttpRequest passed = channel.readInbound();
        assertThat(passed).isNotNull();
        passed.release();
        assertThat(channel.attr(WebSocketAuthHandler.PRINCIPAL).get().user()).isEqualTo("alice");
        assertThat(channel.attr(WebSocketAuthHandler.FAILURE).get()).isNull();
    }

    @Test
    void shouldMarkABadTokenFor4001AndStillLetTheHandshakeHappen()
    {
        channel.writeInbound(upgrade("/ws?token=forged"));

        final FullHttpRequest passed = channel.readInbound();
        assertThat(passed).isNotNull();
        passed.release();
        assertThat(channel.attr(WebSocketAuthHandler.FAILURE_CODE).get()).isEqualTo(GatewaySession.CLOSE_BAD_TOKEN);
        assertThat(channel.attr(WebSocketAuthHandler.PRINCIPAL).get()).isNull();
    }

    @Test
    void shouldRefuseUpgradesWhileDraining()
    {
        draining = true;
        channel.writeInbound(upgrade("/ws?token=" + tokens.issue("alice", List.of(), 60)));

        assertThat((Object)channel.readInbound()).isNull();
        final FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(503);
        response.release();
    }

    @Test
    void shouldPassOtherRequestsThrough()
    {
        channel.writeInbound(upgrade("/api/publish"));

        final FullHttpRequest passed = channel.readInbound();
        assertThat(passed.uri()).isEqualTo("/api/publish");
        passed.release();
        assertThat(channel.attr(WebSocketAuthHandler.FAILURE).get()).isNull();
    }

    private static FullHttpRequest upgrade(final String uri)
    {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
