package io.switchboard.gateway;

import io.switchboard.gateway.core.GatewaySession;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.RawWebSocket;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server heartbeats keep answering clients alive; a client that answers nothing is closed after the idle timeout.
 */
class IdleAndHeartbeatTest
{
    private GatewayHarness harness;

    @BeforeEach
    void start()
    {
        harness = GatewayHarness.start(context -> context.idleTimeoutMs(600).heartbeatMs(150));
    }

    @AfterEach
    void stop()
    {
        harness.close();
    }

    @Test
    void shouldKeepAClientThatAnswersHeartbeats()
    {
        final WsClient client = harness.connect("awake", "general");

        client.awaitPings(10);

        assertThat(client.isClosed()).isFalse();
        client.send("{\"type\":\"ping\",\"ref\":1}");
        assertThat(client.await("pong").path("ref").asInt()).isEqualTo(1);
    }

    @Test
    void shouldCloseASilentClientAfterTheIdleTimeout() throws Exception
    {
        try (RawWebSocket silent = RawWebSocket.connect(harness.gateway().port(),
            "/ws?token=" + harness.token("asleep", "general")))
        {
            assertThat(silent.readClose()).isEqualTo(GatewaySession.CLOSE_GOING_AWAY);
        }
    }
}
