package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.support.Await;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.WsClient;
import io.switchboard.transport.Peer;
import io.switchboard.transport.PeerSpec;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways on two nodes that reach each other over Aeron (IPC on one media driver): gateway A on node 1, which
 * also hosts the channels and presence, and gateway B on a gateway-only node 2. A membership change posted to one
 * gateway reaches the user's sessions on the other as a {@code MembershipChange} message, and the answer says how
 * many other gateways took it.
 */
class ClusterMembershipTest
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
    void shouldMakeSessionsOnAnotherGatewayFollowAChangePostedHere()
    {
        harness = GatewayHarness.start();
        final Gateway gatewayB = harness.startSecondGateway(c -> { });
        awaitGatewaysSeeEachOther();

        final String token = harness.token("alice", "general", "old");
        final WsClient alice = harness.connectWithToken(gatewayB, token, true);
        alice.await("hello");
        awaitSubscribed(alice, "general", "old");

        final JsonNode left = ok(harness.http("POST", "/api/memberships",
            "{\"user\":\"alice\",\"leave\":[\"old\"]}", true));
        assertThat(left.path("sessions").asInt()).as("alice has no session on A").isZero();
        assertThat(left.path("gateways").asInt()).isEqualTo(1);
        assertThat(left.path("failed").isArray() && left.path("failed").isEmpty()).isTrue();
        assertThat(left.path("leave").get(0).asText()).isEqualTo("old");
        final JsonNode removed = alice.await(f -> "error".equals(f.path("type").asText()) &&
            "old".equals(f.path("channel").asText()), "removed from old on gateway B");
        assertThat(removed.path("code").asText()).isEqualTo("forbidden");
        alice.send("{\"type\":\"publish\",\"channel\":\"old\",\"data\":1,\"ref\":\"old\"}");
        assertThat(alice.await(f -> "error".equals(f.path("type").asText()) && "old".equals(f.path("ref").asText()),
            "publish to old refused").path("code").asText()).isEqualTo("forbidden");

        final JsonNode joined = ok(harness.http("POST", "/api/memberships",
            "{\"user\":\"alice\",\"channel\":\"new\",\"action\":\"join\"}", true));
        assertThat(joined.path("gateways").asInt()).isEqualTo(1);
        awaitSubscribed(alice, "new");
        ok(harness.http("POST", "/api/publish", "{\"channel\":\"new\",\"data\":{\"text\":\"welcome\"}}", true));
        final JsonNode message = alice.await(f -> "message".equals(f.path("type").asText()) &&
            "new".equals(f.path("channel").asText()), "message in new on gateway B");
        assertThat(message.path("data").path("text").asText()).isEqualTo("welcome");

        // A later session on B, with the token that still names old and not new, starts from the change.
        final WsClient again = harness.connectWithToken(gatewayB, token, true);
        final JsonNode hello = again.await("hello");
        final Set<String> channels = new HashSet<>();
        hello.path("channels").forEach(c -> channels.add(c.asText()));
        assertThat(channels).containsExactlyInAnyOrder("general", "new");

        // Counted just after the sessions changed: awaited, not read.
        Await.until(() -> 2 == gatewayB.metrics().membershipsReceived(), "B to count both changes");
        assertThat(harness.gateway().metrics().membershipsReceived()).as("B never forwards a change").isZero();
    }

    @Test
    void shouldReachTheOtherWayAndCarryAChangeLargerThanOneMessage()
    {
        harness = GatewayHarness.start();
        final Gateway gatewayB = harness.startSecondGateway(c -> { });
        awaitGatewaysSeeEachOther();

        final WsClient bob = harness.connect("bob", "lobby");
        awaitSubscribed(bob, "lobby");

        // 120 names of ~900 bytes: more than one message holds (48 KiB of names each), so it travels in three.
        final String[] names = IntStream.range(0, 120).mapToObj(i -> "room-" + i + "-" + "y".repeat(900))
            .toArray(String[]::new);
        final StringBuilder body = new StringBuilder("{\"user\":\"bob\",\"leave\":[\"lobby\"],\"join\":[");
        for (int i = 0; i < names.length; i++)
        {
            body.append(i == 0 ? "" : ",").append('"').append(names[i]).append('"');
        }
        final JsonNode answer = ok(harness.http(gatewayB, "POST", "/api/memberships", body.append("]}").toString(),
            true));
        assertThat(answer.path("sessions").asInt()).as("bob has no session on B").isZero();
        assertThat(answer.path("gateways").asInt()).isEqualTo(1);

        bob.await(f -> "error".equals(f.path("type").asText()) && "lobby".equals(f.path("channel").asText()),
            "removed from lobby on gateway A");
        awaitSubscribed(bob, names);
        Await.until(() -> 3 == harness.gateway().metrics().membershipsReceived(), "A to count three messages");
    }

    @Test
    void shouldAnswer503NamingTheGatewaysThatDidNotTakeTheChange()
    {
        // Gateway 3 is configured on node 1 but never starts: its stream takes nothing.
        harness = GatewayHarness.start(node -> node.peers(List.of(PeerSpec.parse("3=gateway@aeron:ipc"))), c -> { });
        final Gateway gatewayB = harness.startSecondGateway(c -> { });
        awaitGatewaysSeeEachOther();
        final WsClient carol = harness.connectWithToken(gatewayB, harness.token("carol", "team"), true);
        carol.await("hello");
        awaitSubscribed(carol, "team");

        final HttpResponse<String> response = harness.http("POST", "/api/memberships",
            "{\"user\":\"carol\",\"leave\":[\"team\"]}", true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        final JsonNode answer = GatewayHarness.json(response.body());
        assertThat(answer.path("code").asText()).isEqualTo("unavailable");
        assertThat(answer.path("message").asText()).contains("3");
        assertThat(answer.path("gateways").asInt()).isEqualTo(1);
        assertThat(answer.path("failed").size()).isEqualTo(1);
        assertThat(answer.path("failed").get(0).asInt()).isEqualTo(3);
        assertThat(answer.path("user").asText()).isEqualTo("carol");

        // The gateways that took it still follow.
        carol.await(f -> "error".equals(f.path("type").asText()) && "team".equals(f.path("channel").asText()),
            "removed from team on gateway B");
        assertThat(harness.http("GET", "/metrics", null, false).body())
            .contains("switchboard_gateway_membership_changes_total{outcome=\"relay_failed\"} 1.0");
    }

    private void awaitGatewaysSeeEachOther()
    {
        Await.until(() -> seesLiveGateway(harness.node(), 2) && seesLiveGateway(harness.secondNode(), 1),
            "gateways 1 and 2 to hear each other's heartbeats");
    }

    /**
     * Asks on the node's agent thread, which owns the peer directory.
     */
    private static boolean seesLiveGateway(final SwitchboardNode node, final int peerId)
    {
        final CompletableFuture<Boolean> seen = new CompletableFuture<>();
        if (!node.agent().post(() ->
        {
            final Peer peer = node.agent().peers().peer(peerId);
            seen.complete(null != peer && peer.alive() && peer.roles().contains(Role.GATEWAY));
        }))
        {
            return false;
        }
        try
        {
            return seen.get(Await.DEADLINE_MS, TimeUnit.MILLISECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("node " + node.context().nodeId() + " did not answer", ex);
        }
    }

    private static void awaitSubscribed(final WsClient client, final String... channels)
    {
        final Predicate<JsonNode> subscribed = f -> "subscribed".equals(f.path("type").asText());
        Await.until(() ->
        {
            final Set<String> seen = new HashSet<>();
            for (final JsonNode frame : client.matching(subscribed))
            {
                frame.path("channels").forEach(c -> seen.add(c.path("channel").asText()));
            }
            return seen.containsAll(List.of(channels));
        }, "subscribed to " + channels.length + " channel(s)");
    }

    private static JsonNode ok(final HttpResponse<String> response)
    {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response.body());
    }
}
