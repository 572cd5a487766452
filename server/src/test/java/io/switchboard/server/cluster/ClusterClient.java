package io.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client of a gateway process on the JDK's client: records every JSON frame with the time it arrived,
 * and waits for frames with a deadline.
 * <p>
 * Thread-safe: frames arrive on the HTTP client's threads; sends and waits happen on test threads.
 */
final class ClusterClient implements WebSocket.Listener, AutoCloseable
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<JsonNode> frames = new ArrayList<>();
    private final List<Long> arrivalNs = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final Object sendLock = new Object();
    private WebSocket webSocket;

    /**
     * @param gateway  the gateway process.
     * @param user     who connects.
     * @param channels the channels the token allows (all subscribed on connect).
     * @return the connected client, after its hello.
     * @throws Exception on HTTP failure.
     */
    static ClusterClient connect(final NodeProcess gateway, final String user, final List<String> channels)
        throws Exception
    {
        final String body = MAPPER.writeValueAsString(java.util.Map.of("user", user, "channels", channels));
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.httpBase() +
            "/api/tokens"))
            .header("Authorization", "Bearer " + NodeProcess.API_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (200 != response.statusCode())
        {
            throw new AssertionError("token: " + response.statusCode() + " " + response.body());
        }
        final String token = MAPPER.readTree(response.body()).path("token").asText();
        final ClusterClient client = new ClusterClient();
        client.webSocket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(gateway.webSocketUrl() + "?token=" +
                URLEncoder.encode(token, StandardCharsets.UTF_8)), client)
            .orTimeout(NodeProcess.DEADLINE_MS, TimeUnit.MILLISECONDS).join();
        client.await(f -> "hello".equals(f.path("type").asText()), "hello");
        return client;
    }

    /**
     * POST to a gateway's HTTP API with the API key.
     *
     * @param gateway the gateway.
     * @param path    e.g. /admin/drain.
     * @param json    the body.
     * @return the answer's body.
     * @throws Exception on HTTP failure.
     */
    static JsonNode post(final NodeProcess gateway, final String path, final String json) throws Exception
    {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.httpBase() + path))
            .header("Authorization", "Bearer " + NodeProcess.API_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300)
        {
            throw new AssertionError(path + ": " + response.statusCode() + " " + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    /**
     * @param json one frame.
     */
    void send(final String json)
    {
        synchronized (sendLock)
        {
            webSocket.sendText(json, true).orTimeout(NodeProcess.DEADLINE_MS, TimeUnit.MILLISECONDS).join();
        }
    }

    /**
     * @param matcher which frame.
     * @param what    for the failure message.
     * @return the first matching frame so far or later.
     */
    synchronized JsonNode await(final Predicate<JsonNode> matcher, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NodeProcess.DEADLINE_MS);
        int seen = 0;
        while (true)
        {
            for (; seen < frames.size(); seen++)
            {
                if (matcher.test(frames.get(seen)))
                {
                    return frames.get(seen);
                }
            }
            waitUntil(deadlineNs, what);
        }
    }

    /**
     * @param condition over all frames so far.
     * @param what      for the failure message.
     */
    synchronized void awaitAll(final Predicate<List<JsonNode>> condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NodeProcess.DEADLINE_MS);
        while (!condition.test(frames))
        {
            waitUntil(deadlineNs, what);
        }
    }

    /**
     * @param matcher which frames.
     * @return matching frames so far, in arrival order.
     */
    synchronized List<JsonNode> matching(final Predicate<JsonNode> matcher)
    {
        final List<JsonNode> result = new ArrayList<>();
        for (final JsonNode frame : frames)
        {
            if (matcher.test(frame))
            {
                result.add(frame);
            }
        }
        return result;
    }

    /**
     * @param matcher which frame.
     * @param afterNs earliest arrival ({@link System#nanoTime()}).
     * @param what    for the failure message.
     * @return arrival time of the first matching frame that arrived at or after afterNs, waiting for it.
     */
    synchronized long awaitArrivalAfter(final Predicate<JsonNode> matcher, final long afterNs, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NodeProcess.DEADLINE_MS);
        int seen = 0;
        while (true)
        {
            for (; seen < frames.size(); seen++)
            {
                if (arrivalNs.get(seen) - afterNs >= 0 && matcher.test(frames.get(seen)))
                {
                    return arrivalNs.get(seen);
                }
            }
            waitUntil(deadlineNs, what);
        }
    }

    private void waitUntil(final long deadlineNs, final String what)
    {
        final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
        if (leftMs <= 0)
        {
            final String seen = frames.toString();
            throw new AssertionError("timed out waiting for " + what + "; frames: " +
                seen.substring(Math.max(0, seen.length() - 1500)));
        }
        try
        {
            wait(Math.min(leftMs, 100));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, ex);
        }
    }

    public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
    {
        final long nowNs = System.nanoTime();
        String complete = null;
        synchronized (this)
        {
            partial.append(data);
            if (last)
            {
                complete = partial.toString();
                partial.setLength(0);
            }
        }
        if (null != complete)
        {
            try
            {
                final JsonNode frame = MAPPER.readTree(complete);
                synchronized (this)
                {
                    frames.add(frame);
                    arrivalNs.add(nowNs);
                    notifyAll();
                }
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("not JSON: " + complete, ex);
            }
        }
        socket.request(1);
        return null;
    }

    public void close()
    {
        if (null != webSocket)
        {
            webSocket.abort();
        }
    }
}
