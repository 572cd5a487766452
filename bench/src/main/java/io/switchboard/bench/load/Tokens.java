package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Fetches one token per user from {@code POST /api/tokens} (dev mode) with the API key, many requests in flight.
 * <p>
 * Thread-safety: call from one thread.
 */
final class Tokens
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens()
    {
    }

    /**
     * @param httpUrl  server base URL.
     * @param apiKey   API key.
     * @param channels user to the channels its token names.
     * @return user to token.
     */
    static Map<String, String> fetch(final String httpUrl, final String apiKey, final Map<String, List<String>> channels)
        throws Exception
    {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final Map<String, String> tokens = new ConcurrentHashMap<>();
        final Semaphore inflight = new Semaphore(32);
        final long startNs = System.nanoTime();
        CompletableFuture<?> last = CompletableFuture.completedFuture(null);
        final List<CompletableFuture<?>> all = new java.util.ArrayList<>();
        for (final Map.Entry<String, List<String>> entry : channels.entrySet())
        {
            inflight.acquire();
            final String body = JSON.writeValueAsString(Map.of(
                "user", entry.getKey(), "channels", entry.getValue(), "ttlSeconds", 86_400));
            final HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "/api/tokens"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            last = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> inflight.release())
                .thenAccept(response ->
            {
                if (200 != response.statusCode())
                {
                    throw new IllegalStateException("POST /api/tokens: " + response.statusCode() + " " +
                        response.body());
                }
                try
                {
                    final JsonNode tree = JSON.readTree(response.body());
                    tokens.put(entry.getKey(), tree.get("token").asText());
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            all.add(last);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
        System.out.printf("load: %d tokens from POST /api/tokens in %.1f s%n", tokens.size(),
            (System.nanoTime() - startNs) / 1e9);
        return tokens;
    }
}
