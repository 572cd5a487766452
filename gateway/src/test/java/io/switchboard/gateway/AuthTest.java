package io.switchboard.gateway;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.gateway.core.GatewaySession;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens and the connect proxy over real sockets.
 */
class AuthTest
{
    private GatewayHarness harness;
    private HttpServer integrator;

    @AfterEach
    void stop()
    {
        if (null != harness)
        {
            harness.close();
        }
        if (null != integrator)
        {
            integrator.stop(0);
        }
    }

    @Test
    void shouldCloseWith4001ForExpiredForgedOrMissingTokens()
    {
        harness = GatewayHarness.start();
        final String expired = JWT.create().withSubject("alice")
            .withExpiresAt(Instant.now().minusSeconds(60))
            .withClaim("channels", List.of("general"))
            .sign(Algorithm.HMAC256(GatewayHarness.JWT_SECRET));
        final String forged = JWT.create().withSubject("alice")
            .withExpiresAt(Instant.now().plusSeconds(60))
            .withClaim("channels", List.of("general"))
            .sign(Algorithm.HMAC256("another-secret-that-is-long-enough"));

        for (final String token : List.of(expired, forged, "not-a-jwt", ""))
        {
            final WsClient client = harness.connectWithToken(harness.gateway(), token, true);
            assertThat(client.awaitClose()).isEqualTo(GatewaySession.CLOSE_BAD_TOKEN);
            assertThat(client.matching(f -> "hello".equals(f.path("type").asText()))).isEmpty();
        }
        final WsClient otherPath = WsClient.connect(harness.http(),
            harness.gateway().webSocketUrl() + "/deeper?token=" + forged);
        assertThat(otherPath.awaitClose()).isEqualTo(GatewaySession.CLOSE_BAD_TOKEN);
        final WsClient expiredClient = harness.connectWithToken(harness.gateway(), expired, true);
        expiredClient.awaitClose();
        assertThat(expiredClient.closeReason()).contains("expired");
    }

    @Test
    void shouldAddTheChannelsTheConnectProxyAllows() throws IOException
    {
        integrator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        integrator.createContext("/connect", exchange ->
        {
            final JsonNode request = GatewayHarness.json(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            final byte[] answer = ("{\"channels\":[\"team-" + request.path("user").asText() + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(answer);
            }
        });
        integrator.start();
        // The first call through a cold HTTP client can take seconds on a loaded machine; this test is not about
        // the timeout (the next one is).
        harness = GatewayHarness.start(context -> context.connectProxyUrl(
            "http://127.0.0.1:" + integrator.getAddress().getPort() + "/connect").connectProxyTimeoutMs(10_000));

        final WsClient alice = harness.connect("alice", "general");

        assertThat(alice.await("hello").path("channels")).extracting(JsonNode::asText)
            .containsExactlyInAnyOrder("general", "team-alice");
        alice.send("{\"type\":\"publish\",\"channel\":\"team-alice\",\"data\":1,\"ref\":1}");
        assertThat(alice.await("ack").path("channel").asText()).isEqualTo("team-alice");
    }

    @Test
    void shouldRefuseTheConnectionWithAClearErrorWhenTheConnectProxyTimesOut() throws IOException
    {
        final CountDownLatch release = new CountDownLatch(1);
        integrator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        integrator.createContext("/connect", exchange ->
        {
            try
            {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        integrator.start();
        harness = GatewayHarness.start(context -> context
            .connectProxyUrl("http://127.0.0.1:" + integrator.getAddress().getPort() + "/connect")
            .connectProxyTimeoutMs(300));
        try
        {
            final WsClient client = harness.connectWithToken(harness.gateway(), harness.token("bob", "general"), true);

            assertThat(client.awaitClose()).isEqualTo(GatewaySession.CLOSE_TRY_AGAIN_LATER);
            final JsonNode error = client.await("error");
            assertThat(error.path("code").asText()).isEqualTo("unavailable");
            assertThat(error.path("message").asText()).contains("connect proxy").contains("300 ms");
        }
        finally
        {
            release.countDown();
        }
    }
}
