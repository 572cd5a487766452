package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence through the gateway over real sockets: watches, changes, queries.
 */
class PresenceTest
{
    private GatewayHarness harness;

    @BeforeEach
    void start()
    {
        harness = GatewayHarness.start();
    }

    @AfterEach
    void stop()
    {
        harness.close();
    }

    @Test
    void shouldTellWatchersOnlineAwayAndOffline()
    {
        final WsClient alice = harness.connect("alice");
        final WsClient bob = harness.connect("bob");
        final WsClient carol = harness.connect("carol");

        carol.send("{\"type\":\"presence.watch\",\"users\":[\"alice\",\"bob\",\"dave\"]}");
        carol.await(statusIs("alice", "online"), "alice online");
        carol.await(statusIs("bob", "online"), "bob online");
        carol.await(statusIs("dave", "offline"), "dave offline");

        bob.send("{\"type\":\"presence.set\",\"status\":\"away\"}");
        carol.await(statusIs("bob", "away"), "bob away");

        alice.close();
        carol.await(statusIs("alice", "offline"), "alice offline");

        final WsClient dave = harness.connect("dave");
        carol.await(statusIs("dave", "online"), "dave online");
        assertThat(dave.isClosed()).isFalse();
    }

    @Test
    void shouldAnswerASecondWatcherAtOnceAndForgetUsersLeftOutOfTheViewport()
    {
        final WsClient alice = harness.connect("alice");
        final WsClient carol = harness.connect("carol");
        carol.send("{\"type\":\"presence.watch\",\"users\":[\"alice\"]}");
        carol.await(statusIs("alice", "online"), "alice online for carol");

        final WsClient erin = harness.connect("erin");
        erin.send("{\"type\":\"presence.watch\",\"users\":[\"alice\"]}");
        erin.await(statusIs("alice", "online"), "alice online for erin");

        carol.send("{\"type\":\"presence.watch\",\"users\":[\"frank\"]}");
        carol.await(statusIs("frank", "offline"), "frank offline");
        alice.send("{\"type\":\"presence.set\",\"status\":\"away\"}");
        erin.await(statusIs("alice", "away"), "alice away for erin");
        final WsClient frank = harness.connect("frank");
        carol.await(statusIs("frank", "online"), "frank online");

        assertThat(carol.matching(statusIs("alice", "away"))).isEmpty();
        assertThat(frank.isClosed()).isFalse();
    }

    @Test
    void shouldKeepOnlyTheNewestViewportOfABurstOfWatches()
    {
        final WsClient alice = harness.connect("alice");
        final WsClient carol = harness.connect("carol");

        carol.send("{\"type\":\"presence.watch\",\"users\":[\"alice\"]}");
        carol.send("{\"type\":\"presence.watch\",\"users\":[\"alice\",\"bob\"]}");
        carol.send("{\"type\":\"presence.watch\",\"users\":[\"zed\"]}");
        carol.await(statusIs("zed", "offline"), "zed offline");

        alice.send("{\"type\":\"presence.set\",\"status\":\"away\"}");
        final WsClient zed = harness.connect("zed");
        carol.await(statusIs("zed", "online"), "zed online");
        assertThat(carol.matching(statusIs("alice", "away"))).isEmpty();
        assertThat(zed.isClosed()).isFalse();
    }

    @Test
    void shouldAnswerQueriesOverWebSocketAndHttp()
    {
        final WsClient alice = harness.connect("alice");
        harness.connect("bob").send("{\"type\":\"presence.set\",\"status\":\"away\"}");
        alice.send("{\"type\":\"presence.watch\",\"users\":[\"bob\"]}");
        alice.await(statusIs("bob", "away"), "bob away");

        alice.send("{\"type\":\"presence.query\",\"users\":[\"alice\",\"bob\",\"zed\"],\"ref\":\"q\"}");
        final JsonNode result = alice.await("presence.result");
        assertThat(result.path("ref").asText()).isEqualTo("q");
        assertThat(statuses(result)).containsEntry("alice", "online").containsEntry("bob", "away")
            .containsEntry("zed", "offline").hasSize(3);

        final var response = harness.http("GET", "/api/presence?users=alice,bob,zed", null, true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(statuses(GatewayHarness.json(response.body())))
            .containsEntry("alice", "online").containsEntry("bob", "away").containsEntry("zed", "offline");
    }

    private static Map<String, String> statuses(final JsonNode frame)
    {
        final Map<String, String> statuses = new HashMap<>();
        for (final JsonNode update : frame.path("updates"))
        {
            statuses.put(update.path("user").asText(), update.path("status").asText());
        }
        return statuses;
    }

    private static Predicate<JsonNode> statusIs(final String user, final String status)
    {
        return frame ->
        {
            if (!"presence".equals(frame.path("type").asText()))
            {
                return false;
            }
            for (final JsonNode update : frame.path("updates"))
            {
                if (user.equals(update.path("user").asText()) && status.equals(update.path("status").asText()))
                {
                    return true;
                }
            }
            return false;
        };
    }
}
