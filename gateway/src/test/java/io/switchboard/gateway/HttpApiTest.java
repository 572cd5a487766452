package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server API over real sockets.
 */
class HttpApiTest
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
    void shouldRefuseRequestsWithoutTheApiKey()
    {
        for (final String path : new String[]{ "/api/publish", "/api/memberships", "/admin/drain" })
        {
            final HttpResponse<String> response = harness.http("POST", path, "{}", false);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(GatewayHarness.json(response.body()).path("code").asText()).isEqualTo("unauthorized");
        }
        assertThat(harness.http("GET", "/api/history?channel=x", null, false).statusCode()).isEqualTo(401);
        assertThat(harness.http("GET", "/api/presence?users=x", null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldIssueDevTokensToTheLocalDemoPageWithoutAKeyButNeverWithAWrongOne()
    {
        // Dev mode on loopback: the demo page asks for a token without knowing the API key.
        final HttpResponse<String> open = harness.http("POST", "/api/tokens",
            "{\"user\":\"demo\",\"channels\":[\"general\"]}", false);
        assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
        assertThat(GatewayHarness.json(open.body()).path("token").asText()).isNotEmpty();

        final HttpResponse<String> wrongKey = harness.http().sendAsync(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + harness.gateway().port() + "/api/tokens"))
                .header("Authorization", "Bearer not-the-key")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"user\":\"x\",\"channels\":[]}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).join();
        assertThat(wrongKey.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAnswerBadRequestsWithJsonErrors()
    {
        assertError(harness.http("POST", "/api/publish", "{not json", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/publish", "{\"data\":1}", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/publish", "{\"channel\":7}", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/publish",
            "{\"channel\":\"c\",\"data\":\"" + "z".repeat(70_000) + "\"}", true), 413, "too_large");
        assertError(harness.http("GET", "/api/publish", null, true), 405, "method_not_allowed");
        assertError(harness.http("GET", "/api/nothing", null, true), 404, "not_found");
        assertError(harness.http("GET", "/api/history", null, true), 400, "bad_request");
        assertError(harness.http("GET", "/api/history?channel=c&since=-1", null, true), 400, "bad_request");
        assertError(harness.http("GET", "/api/presence", null, true), 400, "bad_request");
        assertError(harness.http("POST", "/api/memberships", "{\"user\":\"u\"}", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/tokens", "{\"channels\":[\"c\"]}", true), 400, "bad_request");
        assertError(harness.http("POST", "/admin/drain", "{\"url\":\"http://x\"}", true), 400, "bad_request");
        assertError(harness.http("GET", "/no/such/page.html", null, false), 404, "not_found");
        assertError(harness.http("POST", "/api/publish",
            "{\"channel\":\"c\",\"data\":\"" + "z".repeat(1100 * 1024) + "\"}", true), 413, "too_large");
    }

    @Test
    void shouldRefuseMembershipChangesBeyondTheirLimitsBeforeSendingThem()
    {
        final String thousandAndOne = IntStream.range(0, 1001).mapToObj(i -> "\"c" + i + "\"")
            .collect(Collectors.joining(",", "[", "]"));
        assertError(harness.http("POST", "/api/memberships",
            "{\"user\":\"u\",\"join\":" + thousandAndOne + "}", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/memberships",
            "{\"user\":\"u\",\"leave\":" + thousandAndOne + "}", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/memberships",
            "{\"user\":\"u\",\"join\":[\"" + "n".repeat(1025) + "\"]}", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/memberships",
            "{\"user\":\"u\",\"join\":[\"a\",\"b\"],\"leave\":[\"b\"]}", true), 400, "bad_request");
        assertError(harness.http("POST", "/api/memberships",
            "{\"user\":\"u\",\"join\":[\"a\"],\"channel\":\"a\",\"action\":\"leave\"}", true), 400,
            "bad_request");
        final String thousand = IntStream.range(0, 1000).mapToObj(i -> "\"c" + i + "\"")
            .collect(Collectors.joining(",", "[", "]"));
        assertError(harness.http("POST", "/api/memberships",
            "{\"user\":\"u\",\"join\":" + thousand + ",\"channel\":\"extra\",\"action\":\"join\"}", true),
            400, "bad_request");

        final HttpResponse<String> alone = harness.http("POST", "/api/memberships",
            "{\"user\":\"u\",\"join\":" + thousand + "}", true);
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(200);
        final JsonNode answer = GatewayHarness.json(alone.body());
        assertThat(answer.path("gateways").asInt()).as("no other gateway").isZero();
        assertThat(answer.path("failed").isArray() && answer.path("failed").isEmpty()).isTrue();
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String code)
    {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        final JsonNode body = GatewayHarness.json(response.body());
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotEmpty().doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void shouldIssueTokensThatOpenSessions()
    {
        final HttpResponse<String> response = harness.http("POST", "/api/tokens",
            "{\"user\":\"grace\",\"channels\":[\"tokens-room\"]}", true);
        assertThat(response.statusCode()).isEqualTo(200);
        final String token = GatewayHarness.json(response.body()).path("token").asText();

        final WsClient grace = harness.connectWithToken(harness.gateway(), token, true);
        final JsonNode hello = grace.await("hello");
        assertThat(hello.path("user").asText()).isEqualTo("grace");
        assertThat(hello.path("channels")).extracting(JsonNode::asText).containsExactly("tokens-room");
    }

    @Test
    void shouldPublishToSessionsAndServeHistory()
    {
        final WsClient heidi = harness.connect("heidi", "api-room");
        heidi.await("subscribed");

        final HttpResponse<String> published = harness.http("POST", "/api/publish",
            "{\"channel\":\"api-room\",\"user\":\"backend\",\"id\":\"b-1\",\"data\":{\"text\":\"from the backend\"}}",
            true);
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        final JsonNode ack = GatewayHarness.json(published.body());
        assertThat(ack.path("channel").asText()).isEqualTo("api-room");
        assertThat(ack.path("seq").asLong()).isEqualTo(1);
        assertThat(ack.path("id").asText()).isEqualTo("b-1");

        final JsonNode message = heidi.await("message");
        assertThat(message.path("user").asText()).isEqualTo("backend");
        assertThat(message.path("id").asText()).isEqualTo("b-1");
        assertThat(message.path("data").path("text").asText()).isEqualTo("from the backend");

        final HttpResponse<String> history = harness.http("GET", "/api/history?channel=" +
            URLEncoder.encode("api-room", StandardCharsets.UTF_8) + "&since=0", null, true);
        assertThat(history.statusCode()).isEqualTo(200);
        final JsonNode body = GatewayHarness.json(history.body());
        assertThat(body.path("complete").asBoolean()).isTrue();
        assertThat(body.path("lastSeq").asLong()).isEqualTo(1);
        assertThat(body.path("messages").get(0).path("data").path("text").asText()).isEqualTo("from the backend");
    }

    @Test
    void shouldReportHealthMetricsAndServeTheDemoPage()
    {
        final WsClient ivan = harness.connect("ivan", "metrics-room");
        ivan.send("{\"type\":\"nonsense\"}");
        ivan.await("error");

        final HttpResponse<String> health = harness.http("GET", "/health", null, false);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(GatewayHarness.json(health.body()).path("status").asText()).isEqualTo("ok");

        final HttpResponse<String> metrics = harness.http("GET", "/metrics", null, false);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
            .contains("switchboard_gateway_connections")
            .contains("switchboard_gateway_frames_in_total")
            .contains("switchboard_gateway_frames_out_total")
            .contains("switchboard_gateway_errors_total{code=\"unknown_type\"} 1.0")
            .contains("switchboard_gateway_slow_consumer_closes_total")
            .contains("switchboard_gateway_publish_deliver_latency_seconds_bucket");

        final HttpResponse<String> page = harness.http("GET", "/", null, false);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Switchboard");
    }
}
