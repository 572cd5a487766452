package io.switchboard.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.gateway.GatewayMetrics;
import io.switchboard.gateway.auth.TokenService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API handler on an {@link EmbeddedChannel}: everything it answers without the gateway core.
 */
class HttpApiHandlerTest
{
    private static final String KEY = "embedded-key";
    private final ObjectMapper mapper = new ObjectMapper();
    private final TokenService tokens = new TokenService("embedded-secret-0123456789");
    private boolean draining;
    private EmbeddedChannel channel;

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRequireTheApiKey()
    {
        channel = channel(true);
        assertError(request(HttpMethod.POST, "/api/publish", "{}", null), 401, "unauthorized");
        assertError(request(HttpMethod.POST, "/api/publish", "{}", "wrong"), 401, "unauthorized");
        assertError(request(HttpMethod.GET, "/api/nothing", null, KEY), 404, "not_found");
        assertError(request(HttpMethod.DELETE, "/api/tokens", null, KEY), 405, "method_not_allowed");
    }

    @Test
    void shouldIssueTokensOnlyInDevMode() throws Exception
    {
        channel = channel(true);
        final FullHttpResponse issued = request(HttpMethod.POST, "/api/tokens",
            "{\"user\":\"alice\",\"channels\":[\"general\"],\"ttlSeconds\":60}", KEY);
        assertThat(issued.status().code()).isEqualTo(200);
        final JsonNode body = mapper.readTree(issued.content().toString(StandardCharsets.UTF_8));
        issued.release();
        assertThat(tokens.verify(body.path("token").asText()).channels()).containsExactly("general");

        channel.finishAndReleaseAll();
        channel = channel(false);
        assertError(request(HttpMethod.POST, "/api/tokens", "{\"user\":\"alice\"}", KEY), 404, "not_found");
    }

    @Test
    void shouldReportHealthAndDraining() throws Exception
    {
        channel = channel(true);
        final FullHttpResponse ok = request(HttpMethod.GET, "/health", null, null);
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(mapper.readTree(ok.content().toString(StandardCharsets.UTF_8)).path("status").asText())
            .isEqualTo("ok");
        ok.release();

        draining = true;
        final FullHttpResponse drained = request(HttpMethod.GET, "/health", null, null);
        assertThat(drained.status().code()).isEqualTo(503);
        drained.release();
    }

    @Test
    void shouldServeMetricsAndTheDemoPage()
    {
        channel = channel(true);
        final FullHttpResponse metrics = request(HttpMethod.GET, "/metrics", null, null);
        assertThat(metrics.content().toString(StandardCharsets.UTF_8)).contains("switchboard_gateway_connections");
        metrics.release();

        final FullHttpResponse page = request(HttpMethod.GET, "/", null, null);
        assertThat(page.status().code()).isEqualTo(200);
        assertThat(page.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
        page.release();

        assertError(request(HttpMethod.GET, "/../pom.xml", null, null), 404, "not_found");
    }

    private EmbeddedChannel channel(final boolean devMode)
    {
        final GatewayContext context = new GatewayContext().apiKey(KEY).jwtSecret("embedded-secret-0123456789")
            .devMode(devMode).conclude();
        final GatewayControl control = new GatewayControl()
        {
            public CompletableFuture<DrainResult> drain(
                final String reason, final String url, final long reconnectMs, final long graceMs)
            {
                return CompletableFuture.completedFuture(new DrainResult(0, url, reconnectMs, graceMs));
            }

            public boolean isDraining()
            {
                return draining;
            }

            public String name()
            {
                return "embedded";
            }
        };
        return new EmbeddedChannel(new HttpApiHandler(context, null, new GatewayMetrics(), tokens, mapper,
            new StaticFiles(), control));
    }

    private FullHttpResponse request(final HttpMethod method, final String uri, final String body, final String key)
    {
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
            null == body ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (null != key)
        {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + key);
        }
        channel.writeInbound(request);
        final FullHttpResponse response = channel.readOutbound();
        assertThat(response).as(method + " " + uri).isNotNull();
        return response;
    }

    private void assertError(final FullHttpResponse response, final int status, final String code)
    {
        try
        {
            assertThat(response.status().code()).isEqualTo(status);
            final JsonNode body = mapper.readTree(response.content().toString(StandardCharsets.UTF_8));
            assertThat(body.path("code").asText()).isEqualTo(code);
            assertThat(body.path("message").asText()).isNotBlank();
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
        finally
        {
            response.release();
        }
    }
}
