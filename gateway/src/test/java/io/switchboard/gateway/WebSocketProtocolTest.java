package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.aeron.Publication;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.TransientEventEncoder;
import io.switchboard.gateway.support.Await;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.RawWebSocket;
import io.switchboard.gateway.support.WsClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client protocol over real sockets: a node with all roles over IPC, a gateway, JDK WebSocket clients.
 */
class WebSocketProtocolTest
{
    private static GatewayHarness harness;

    @BeforeAll
    static void start()
    {
        harness = GatewayHarness.start();
    }

    @AfterAll
    static void stop()
    {
        harness.close();
    }

    @Test
    void shouldSendHelloFirst()
    {
        final WsClient alice = harness.connect("alice", "hello-room", "other-room");

        final JsonNode hello = alice.frames().get(0);
        assertThat(hello.path("type").asText()).isEqualTo("hello");
        assertThat(hello.path("user").asText()).isEqualTo("alice");
        assertThat(hello.path("session").asText()).isNotEmpty();
        assertThat(hello.path("gateway").asText()).isEqualTo(harness.node().context().nodeName());
        assertThat(hello.path("region").asText()).isEqualTo("local");
        assertThat(hello.path("heartbeatMs").asLong()).isPositive();
        assertThat(hello.path("channels")).extracting(JsonNode::asText).containsExactly("hello-room", "other-room");
    }

    @Test
    void shouldSubscribeOnConnectPublishAckAndDeliver()
    {
        final WsClient alice = harness.connect("alice", "general");
        final WsClient bob = harness.connect("bob", "general");
        alice.await("subscribed");
        final JsonNode subscribed = bob.await("subscribed");
        assertThat(subscribed.path("channels").get(0).path("channel").asText()).isEqualTo("general");
        final long startSeq = subscribed.path("channels").get(0).path("seq").asLong();

        alice.send("{\"type\":\"publish\",\"channel\":\"general\",\"data\":{\"text\":\"hi\"},\"ref\":\"p1\"}");

        final JsonNode ack = alice.await("ack");
        assertThat(ack.path("ref").asText()).isEqualTo("p1");
        assertThat(ack.path("channel").asText()).isEqualTo("general");
        assertThat(ack.path("seq").asLong()).isEqualTo(startSeq + 1);
        assertThat(ack.path("epoch").asLong()).isPositive();
        assertThat(ack.path("id").asText()).isNotEmpty();

        final JsonNode message = bob.await("message");
        assertThat(message.path("channel").asText()).isEqualTo("general");
        assertThat(message.path("seq").asLong()).isEqualTo(startSeq + 1);
        assertThat(message.path("epoch").asLong()).isEqualTo(ack.path("epoch").asLong());
        assertThat(message.path("id").asText()).isEqualTo(ack.path("id").asText());
        assertThat(message.path("user").asText()).isEqualTo("alice");
        assertThat(message.path("ts").asLong()).isPositive();
        assertThat(message.path("data").path("text").asText()).isEqualTo("hi");
        assertThat(alice.await("message").path("seq").asLong()).isEqualTo(startSeq + 1);
    }

    @Test
    void shouldDeliverInSeqOrderToEverySubscriber()
    {
        final WsClient alice = harness.connect("alice", "ordered");
        final WsClient bob = harness.connect("bob", "ordered");
        alice.await("subscribed");
        bob.await("subscribed");

        for (int i = 1; i <= 200; i++)
        {
            alice.send("{\"type\":\"publish\",\"channel\":\"ordered\",\"data\":" + i + "}");
        }

        final List<JsonNode> messages = bob.awaitCount(200, f -> "message".equals(f.path("type").asText()), "messages");
        for (int i = 0; i < 200; i++)
        {
            assertThat(messages.get(i).path("seq").asLong()).isEqualTo(i + 1);
            assertThat(messages.get(i).path("data").asInt()).isEqualTo(i + 1);
        }
    }

    @Test
    void shouldForbidChannelsTheTokenDoesNotAllow()
    {
        final WsClient mallory = harness.connect("mallory", "lobby");

        mallory.send("{\"type\":\"subscribe\",\"channels\":[\"secret\"],\"ref\":1}");
        mallory.send("{\"type\":\"publish\",\"channel\":\"secret\",\"data\":\"x\",\"ref\":2}");
        mallory.send("{\"type\":\"history\",\"channel\":\"secret\",\"ref\":3}");
        mallory.send("{\"type\":\"typing\",\"channel\":\"secret\",\"ref\":4}");
        mallory.send("{\"type\":\"react\",\"channel\":\"secret\",\"target\":\"m\",\"emoji\":\"x\",\"ref\":5}");

        for (int ref = 1; ref <= 5; ref++)
        {
            final int expected = ref;
            final JsonNode error = mallory.await(
                f -> "error".equals(f.path("type").asText()) && f.path("ref").asInt() == expected, "error " + ref);
            assertThat(error.path("code").asText()).isEqualTo("forbidden");
        }
        mallory.send("{\"type\":\"ping\",\"ref\":\"alive\"}");
        assertThat(mallory.await("pong").path("ref").asText()).isEqualTo("alive");
    }

    @Test
    void shouldNotEchoTypingToTheSender()
    {
        final WsClient alice = harness.connect("alice", "typing-room");
        final WsClient bob = harness.connect("bob", "typing-room");
        alice.await("subscribed");
        bob.await("subscribed");

        alice.send("{\"type\":\"typing\",\"channel\":\"typing-room\"}");
        final JsonNode typing = bob.await("typing");
        assertThat(typing.path("channel").asText()).isEqualTo("typing-room");
        assertThat(typing.path("user").asText()).isEqualTo("alice");

        // Bob's own typing reaches Alice; by then hers would have reached her too if it were echoed.
        bob.send("{\"type\":\"typing\",\"channel\":\"typing-room\"}");
        alice.await("typing");
        assertThat(alice.matching(f -> "typing".equals(f.path("type").asText())))
            .extracting(f -> f.path("user").asText()).containsExactly("bob");
    }

    @Test
    void shouldFanOutTransientEventsWithData()
    {
        final WsClient alice = harness.connect("alice", "cursor-room");
        final WsClient bob = harness.connect("bob", "cursor-room");
        alice.await("subscribed");
        bob.await("subscribed");

        alice.send("{\"type\":\"transient\",\"channel\":\"cursor-room\",\"event\":\"cursor\",\"data\":{\"x\":3}}");

        final JsonNode event = bob.await("transient");
        assertThat(event.path("event").asText()).isEqualTo("cursor");
        assertThat(event.path("user").asText()).isEqualTo("alice");
        assertThat(event.path("data").path("x").asInt()).isEqualTo(3);
    }

    @Test
    void shouldDropTransientEventsPastTheirTtl()
    {
        final WsClient bob = harness.connect("bob", "ttl-room");
        bob.await("subscribed");
        final long nowNs = System.currentTimeMillis() * 1_000_000L;
        final Publication publication = harness.node().aeron().addPublication(
            "aeron:ipc?term-length=1m", harness.node().context().streamIdOf(harness.node().context().nodeId()));
        try
        {
            offerTransient(publication, "stale", nowNs - 10_000_000_000L);
            offerTransient(publication, "fresh", nowNs);

            bob.await(f -> "typing".equals(f.path("type").asText()) && "fresh".equals(f.path("user").asText()),
                "the fresh typing");
            assertThat(bob.matching(f -> "typing".equals(f.path("type").asText())))
                .extracting(f -> f.path("user").asText()).containsExactly("fresh");
        }
        finally
        {
            publication.close();
        }
    }

    private static void offerTransient(final Publication publication, final String user, final long tsNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final TransientEventEncoder encoder = new TransientEventEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .nodeId(99)
            .sessionId(1)
            .timestampNs(tsNs)
            .ttlMs(5000)
            .channel("ttl-room")
            .user(user)
            .eventName("typing");
        encoder.putPayload(new byte[0], 0, 0);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        Await.until(() -> publication.offer(buffer, 0, length) > 0, "offered");
    }

    @Test
    void shouldBatchReactions()
    {
        final WsClient alice = harness.connect("alice", "reacting");
        final WsClient bob = harness.connect("bob", "reacting");
        alice.await("subscribed");
        bob.await("subscribed");

        alice.send("{\"type\":\"react\",\"channel\":\"reacting\",\"target\":\"m-1\",\"emoji\":\"+1\"}");
        alice.send("{\"type\":\"react\",\"channel\":\"reacting\",\"target\":\"m-1\",\"emoji\":\"+1\"}");
        bob.send("{\"type\":\"react\",\"channel\":\"reacting\",\"target\":\"m-1\",\"emoji\":\"tada\"}");

        final JsonNode reactions = bob.await(f -> "reactions".equals(f.path("type").asText()) &&
            totalReactions(bob) == 3, "three reactions");
        assertThat(reactions.path("channel").asText()).isEqualTo("reacting");
        assertThat(reactions.path("target").asText()).isEqualTo("m-1");
        alice.await(f -> "reactions".equals(f.path("type").asText()) && totalReactions(alice) == 3, "reactions");
    }

    private static long totalReactions(final WsClient client)
    {
        long total = 0;
        for (final JsonNode batch : client.matching(f -> "reactions".equals(f.path("type").asText())))
        {
            for (final JsonNode count : batch.path("counts"))
            {
                total += count.asLong();
            }
        }
        return total;
    }

    @Test
    void shouldAnswerHistoryCompleteAndIncomplete()
    {
        final WsClient alice = harness.connect("alice", "archive");
        alice.await("subscribed");
        for (int i = 1; i <= 10; i++)
        {
            alice.send("{\"type\":\"publish\",\"channel\":\"archive\",\"data\":{\"n\":" + i + "},\"ref\":" + i + "}");
        }
        final JsonNode lastAck = alice.await(f -> "ack".equals(f.path("type").asText()) &&
            f.path("ref").asInt() == 10, "ack 10");
        final long epoch = lastAck.path("epoch").asLong();

        alice.send("{\"type\":\"history\",\"channel\":\"archive\",\"since\":4,\"epoch\":" + epoch + ",\"ref\":\"h1\"}");
        final JsonNode history = alice.await(f -> "history".equals(f.path("type").asText()) &&
            "h1".equals(f.path("ref").asText()), "history h1");
        assertThat(history.path("channel").asText()).isEqualTo("archive");
        assertThat(history.path("complete").asBoolean()).isTrue();
        assertThat(history.path("epoch").asLong()).isEqualTo(epoch);
        assertThat(history.path("messages")).extracting(m -> m.path("seq").asLong())
            .containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(history.path("messages").get(0).path("data").path("n").asInt()).isEqualTo(5);
        assertThat(history.path("messages").get(0).path("user").asText()).isEqualTo("alice");

        alice.send("{\"type\":\"history\",\"channel\":\"archive\",\"since\":4,\"epoch\":" + (epoch + 1) +
            ",\"ref\":\"h2\"}");
        final JsonNode other = alice.await(f -> "history".equals(f.path("type").asText()) &&
            "h2".equals(f.path("ref").asText()), "history h2");
        assertThat(other.path("complete").asBoolean()).isFalse();

        alice.send("{\"type\":\"history\",\"channel\":\"archive\",\"since\":0,\"limit\":3,\"ref\":\"h3\"}");
        final JsonNode page = alice.await(f -> "history".equals(f.path("type").asText()) &&
            "h3".equals(f.path("ref").asText()), "history h3");
        assertThat(page.path("messages")).extracting(m -> m.path("seq").asLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldAnswerBadFramesWithErrorsAndKeepTheConnection()
    {
        final WsClient client = harness.connect("carol", "general");

        client.send("{not json");
        client.send("[1,2,3]");
        client.send("{\"type\":\"publish\",\"channel\":42,\"data\":1,\"ref\":\"wrong-type\"}");
        client.send("{\"type\":\"history\",\"channel\":\"general\",\"since\":\"x\",\"ref\":\"since\"}");
        client.send("{\"type\":\"teleport\",\"ref\":\"unknown\"}");
        client.send("{\"type\":7}");
        client.send("{\"type\":\"presence.set\",\"status\":\"asleep\",\"ref\":\"status\"}");
        client.send("{\"type\":\"subscribe\",\"channels\":[],\"ref\":\"empty\"}");

        final List<JsonNode> errors = client.awaitCount(8, f -> "error".equals(f.path("type").asText()), "errors");
        assertThat(errors).extracting(f -> f.path("code").asText()).containsExactly(
            "bad_request", "bad_request", "bad_request", "bad_request", "unknown_type", "bad_request", "bad_request",
            "bad_request");
        assertThat(errors).extracting(f -> f.path("ref").isNull() ? null : f.path("ref").asText()).containsExactly(
            null, null, "wrong-type", "since", "unknown", null, "status", "empty");
        assertThat(errors).allSatisfy(f -> assertThat(f.path("message").asText()).isNotEmpty());

        client.send("{\"type\":\"ping\",\"ref\":9}");
        assertThat(client.await("pong").path("ref").asInt()).isEqualTo(9);
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void shouldAnswerInvalidUtf8WithAnErrorAndKeepTheConnection() throws Exception
    {
        try (RawWebSocket raw = RawWebSocket.connect(harness.gateway().port(),
            "/ws?token=" + harness.token("frank", "general")))
        {
            assertThat(GatewayHarness.json(raw.readText()).path("type").asText()).isEqualTo("hello");

            raw.sendText(new byte[]{ '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte)0xC0, (byte)0xAF, '"', '}' });
            JsonNode frame = GatewayHarness.json(raw.readText());
            while (!"error".equals(frame.path("type").asText()))
            {
                frame = GatewayHarness.json(raw.readText());
            }
            assertThat(frame.path("code").asText()).isEqualTo("bad_request");
            assertThat(frame.path("message").asText()).contains("UTF-8");

            raw.sendText("{\"type\":\"ping\",\"ref\":\"still-here\"}".getBytes(StandardCharsets.UTF_8));
            JsonNode pong = GatewayHarness.json(raw.readText());
            while (!"pong".equals(pong.path("type").asText()))
            {
                pong = GatewayHarness.json(raw.readText());
            }
            assertThat(pong.path("ref").asText()).isEqualTo("still-here");
        }
    }

    @Test
    void shouldCloseWith1009WhenAFrameIsTooLarge()
    {
        final WsClient client = harness.connect("dave", "general");
        final String data = "x".repeat(70 * 1024);

        client.send("{\"type\":\"publish\",\"channel\":\"general\",\"data\":\"" + data + "\"}");

        assertThat(client.awaitClose()).isEqualTo(1009);
    }

    @Test
    void shouldFollowMembershipChangesLive()
    {
        final WsClient erin = harness.connect("erin", "base");
        erin.await("subscribed");

        final var joined = harness.http("POST", "/api/memberships",
            "{\"user\":\"erin\",\"join\":[\"project\"]}", true);
        assertThat(joined.statusCode()).isEqualTo(200);
        assertThat(GatewayHarness.json(joined.body()).path("sessions").asInt()).isEqualTo(1);
        erin.await(f -> "subscribed".equals(f.path("type").asText()) &&
            "project".equals(f.path("channels").get(0).path("channel").asText()), "subscribed to project");

        erin.send("{\"type\":\"publish\",\"channel\":\"project\",\"data\":\"in\",\"ref\":\"in\"}");
        erin.await(f -> "ack".equals(f.path("type").asText()) && "in".equals(f.path("ref").asText()), "ack");
        erin.await(f -> "message".equals(f.path("type").asText()) && "project".equals(f.path("channel").asText()),
            "message in project");

        final var left = harness.http("POST", "/api/memberships",
            "{\"user\":\"erin\",\"channel\":\"project\",\"action\":\"leave\"}", true);
        assertThat(left.statusCode()).isEqualTo(200);
        erin.await(f -> "error".equals(f.path("type").asText()) && "project".equals(f.path("channel").asText()),
            "removed from project");

        erin.send("{\"type\":\"publish\",\"channel\":\"project\",\"data\":\"out\",\"ref\":\"out\"}");
        final JsonNode refused = erin.await(f -> "error".equals(f.path("type").asText()) &&
            "out".equals(f.path("ref").asText()), "refused publish");
        assertThat(refused.path("code").asText()).isEqualTo("forbidden");
    }
}
