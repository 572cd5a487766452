package io.switchboard.gateway;

import io.switchboard.gateway.core.GatewaySession;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.RawWebSocket;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server heartbeats keep answering clients alive; a client that answers nothing is closed after the idle timeout.
 */
class IdleAndHeartbeatTest
{
    private GatewayHarness harness;

    private void start(final long idleTimeoutMs)
    {
        harness = GatewayHarness.start(context -> context.idleTimeoutMs(idleTimeoutMs).heartbeatMs(150)
            .ratePerSecond(100_000).rateBurst(100_000));
    }

    @AfterEach
    void stop()
    {
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldKeepAClientThatAnswersHeartbeats()
    {
        // An idle timeout far above the heartbeat: a loaded machine's pause must not pass for the client's silence.
        start(5_000);
        final WsClient client = harness.connect("awake", "general");

        client.awaitPings(10);

        assertThat(client.isClosed()).isFalse();
        client.send("{\"type\":\"ping\",\"ref\":1}");
        assertThat(client.await("pong").path("ref").asInt()).isEqualTo(1);
    }

    @Test
    void shouldPingAndKeepAClientThatOnlyListensToABusyChannel()
    {
        start(5_000);
        final WsClient listener = harness.connect("listener", "busy");
        final WsClient writer = harness.connect("writer", "busy");
        listener.await("subscribed");
        writer.await("subscribed");

        // The server always has something to write to the listener, so only the listener's silence triggers pings.
        int published = 0;
        while (listener.pings() < 5)
        {
            writer.send("{\"type\":\"publish\",\"channel\":\"busy\",\"data\":" + published + "}");
            listener.awaitCount(++published, f -> "message".equals(f.path("type").asText()), "messages");
            assertThat(listener.isClosed()).isFalse();
        }

        listener.send("{\"type\":\"ping\",\"ref\":2}");
        assertThat(listener.await("pong").path("ref").asInt()).isEqualTo(2);
    }

    @Test
    void shouldCloseASilentClientAfterTheIdleTimeout() throws Exception
    {
        start(600);
        try (RawWebSocket silent = RawWebSocket.connect(harness.gateway().port(),
            "/ws?token=" + harness.token("asleep", "general")))
        {
            assertThat(silent.readClose()).isEqualTo(GatewaySession.CLOSE_GOING_AWAY);
        }
    }
}
