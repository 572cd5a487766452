package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.core.GatewaySession;
import io.switchboard.gateway.support.Await;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-session limits over real sockets: rate limit and flood, slow consumers.
 */
class LimitsTest
{
    private GatewayHarness harness;

    @AfterEach
    void stop()
    {
        harness.close();
    }

    @Test
    void shouldAnswerRateLimitedThenCloseAPersistentFloodWith4008()
    {
        harness = GatewayHarness.start(context -> context
            .ratePerSecond(5)
            .rateBurst(5)
            .floodRejections(20)
            .floodWindowMs(60_000));
        final WsClient flooder = harness.connect("flooder", "general");

        final long startNs = System.nanoTime();
        for (int i = 0; i < 100 && !flooder.isClosed(); i++)
        {
            try
            {
                flooder.send("{\"type\":\"ping\",\"ref\":" + i + "}");
            }
            catch (final RuntimeException ex)
            {
                break; // the gateway closed the connection while we were still sending
            }
        }

        assertThat(flooder.awaitClose()).isEqualTo(GatewaySession.CLOSE_FLOODING);
        final double elapsedS = (System.nanoTime() - startNs) / 1e9;
        final List<JsonNode> limited = flooder.matching(
            f -> "error".equals(f.path("type").asText()) && "rate_limited".equals(f.path("code").asText()));
        assertThat(limited).isNotEmpty();
        // The burst, plus what the bucket refilled (5/s) while the flood lasted: a slow machine takes longer, so
        // the bound follows the elapsed time rather than assuming the flood is over in a fraction of a second.
        assertThat(flooder.matching(f -> "pong".equals(f.path("type").asText())).size())
            .isBetween(5, 5 + (int)Math.ceil(elapsedS * 5) + 1);
        assertThat(harness.gateway().metrics().scrape()).contains("switchboard_gateway_flood_closes_total 1.0");
    }

    @Test
    void shouldCloseASlowConsumerWith4013WhileOthersKeepReceiving()
    {
        harness = GatewayHarness.start(context -> context
            .highWaterMarkBytes(64 * 1024)
            .ratePerSecond(100_000)
            .rateBurst(100_000));
        final WsClient slow = harness.connectWithToken(harness.gateway(), harness.token("slow", "firehose"), false);
        final WsClient fast = harness.connect("fast", "firehose");
        fast.await("subscribed");
        Await.until(() -> harness.gateway().metrics().connections() == 2, "two sessions");

        final String data = "\"" + "y".repeat(16 * 1024) + "\"";
        int published = 0;
        // Generous: the non-reader's kernel buffers (megabytes) fill first, and paranoid leak detection is slow.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (harness.gateway().metrics().slowConsumerCloses() < 1)
        {
            assertThat(System.nanoTime() - deadlineNs).as("slow consumer closed in time").isNegative();
            for (int i = 0; i < 20; i++)
            {
                fast.send("{\"type\":\"publish\",\"channel\":\"firehose\",\"data\":" + data + "}");
                published++;
            }
            final int expected = published;
            fast.awaitCount(expected, f -> "message".equals(f.path("type").asText()), "messages to the fast client");
        }

        // The others keep receiving after the slow consumer is gone.
        for (int i = 0; i < 20; i++)
        {
            fast.send("{\"type\":\"publish\",\"channel\":\"firehose\",\"data\":" + data + "}");
        }
        final List<JsonNode> received = fast.awaitCount(
            published + 20, f -> "message".equals(f.path("type").asText()), "messages after the close");
        for (int i = 1; i < received.size(); i++)
        {
            assertThat(received.get(i).path("seq").asLong()).isEqualTo(received.get(i - 1).path("seq").asLong() + 1);
        }

        slow.resumeReading();
        assertThat(slow.awaitClose()).isIn(GatewaySession.CLOSE_SLOW_CONSUMER, WsClient.ABNORMAL);
        Await.until(() -> harness.gateway().metrics().connections() == 1, "the slow session gone");
        assertThat(harness.gateway().metrics().scrape()).contains("switchboard_gateway_slow_consumer_closes_total 1.0");
    }
}
