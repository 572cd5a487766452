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

    @Test
    void shouldHoldSubscriptionsTheHostStreamRefusesInsteadOfFailingThem()
    {
        // 64 KiB terms and ~1 KiB names: one membership change sends far more subscriptions than the node's own
        // stream holds before the agent polls it again.
        harness = GatewayHarness.start(node -> node.termLength(64 * 1024), context -> { });
        final WsClient user = harness.connect("joiner", "lobby");
        user.await("subscribed");
        final String[] names = IntStream.range(0, 200).mapToObj(i -> "c" + i + "-" + "x".repeat(990))
            .toArray(String[]::new);
        final StringBuilder join = new StringBuilder("{\"user\":\"joiner\",\"join\":[");
        for (int i = 0; i < names.length; i++)
        {
            join.append(i == 0 ? "" : ",").append('"').append(names[i]).append('"');
        }
        assertThat(harness.http("POST", "/api/memberships", join.append("]}").toString(), true).statusCode())
            .isEqualTo(200);

        final Set<String> subscribed = new HashSet<>();
        user.awaitCount(1, f -> collect(f, subscribed) && subscribed.size() == names.length + 1, "all subscribed");
        assertThat(subscribed).contains(names).contains("lobby");
        // Refused sends wait in the queue. (An answer the host could not write back within its offer timeout may
        // still time out and be retried: that path tells the session, and is not what this test is about.)
        assertThat(user.matching(f -> "error".equals(f.path("type").asText()) &&
            !f.path("message").asText().startsWith("no answer"))).as("no subscription refused to the session").isEmpty();
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
