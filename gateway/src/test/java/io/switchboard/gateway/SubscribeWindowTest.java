package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions past the in-flight window wait in order and are all answered: a session with many channels and a
 * second one sharing some of them are subscribed to every channel, with one subscription in flight at a time.
 */
class SubscribeWindowTest
{
    private GatewayHarness harness;

    @AfterEach
    void stop()
    {
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldSubscribeEveryChannelThroughAWindowOfOne()
    {
        harness = GatewayHarness.start(context -> context.subscribeMaxInFlight(1));
        final String[] many = IntStream.range(0, 120).mapToObj(i -> "r" + i).toArray(String[]::new);
        final WsClient first = harness.connect("first", many);
        final WsClient second = harness.connect("second", "r7", "r119", "r120");

        final Set<String> subscribed = new HashSet<>();
        first.awaitCount(1, f -> collect(f, subscribed) && subscribed.size() == many.length, "all 120 subscribed");
        assertThat(subscribed).containsExactlyInAnyOrder(many);

        final Set<String> secondSubscribed = new HashSet<>();
        second.awaitCount(1, f -> collect(f, secondSubscribed) && secondSubscribed.size() == 3, "3 subscribed");

        second.send("{\"type\":\"publish\",\"channel\":\"r119\",\"data\":{\"n\":1},\"ref\":1}");
        final JsonNode message = first.await(f -> "message".equals(f.path("type").asText()), "a message in r119");
        assertThat(message.path("channel").asText()).isEqualTo("r119");
        assertThat(message.path("seq").asLong()).isEqualTo(1);
    }

    private static boolean collect(final JsonNode frame, final Set<String> into)
    {
        if ("subscribed".equals(frame.path("type").asText()))
        {
            frame.path("channels").forEach(c -> into.add(c.path("channel").asText()));
        }
        return "subscribed".equals(frame.path("type").asText());
    }
}
