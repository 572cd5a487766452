package io.switchboard.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.gateway.json.Names;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Asks the integrator's backend which channels a connecting user may use: POST {@code {"user": ...}} to the
 * configured URL, expecting {@code {"channels": [...]}} within the timeout. Any failure completes exceptionally with
 * a {@link ConnectProxyException} whose message says what went wrong, for the client and the log.
 * <p>
 * Thread-safe.
 */
public final class ConnectProxy
{
    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;
    private final ObjectMapper mapper;

    /**
     * @param url       integrator URL.
     * @param timeoutMs bound on connect plus answer.
     * @param mapper    JSON mapper.
     */
    public ConnectProxy(final String url, final long timeoutMs, final ObjectMapper mapper)
    {
        this.uri = URI.create(url);
        this.timeout = Duration.ofMillis(timeoutMs);
        this.mapper = mapper;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * @param user connecting user.
     * @return the channels the backend allows, or a failed future with a {@link ConnectProxyException}.
     */
    public CompletableFuture<Set<String>> channelsOf(final String user)
    {
        final ObjectNode body = mapper.createObjectNode().put("user", user);
        final HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
            .handle((response, error) ->
            {
                if (null != error)
                {
                    throw new CompletionException(failure(error));
                }
                return parse(response);
            });
    }

    private ConnectProxyException failure(final Throwable error)
    {
        final Throwable cause = error instanceof CompletionException && null != error.getCause() ?
            error.getCause() : error;
        if (cause instanceof HttpTimeoutException)
        {
            return new ConnectProxyException("connect proxy " + uri + " did not answer within " +
                timeout.toMillis() + " ms");
        }
        return new ConnectProxyException("connect proxy " + uri + " unreachable: " + cause.getClass().getSimpleName() +
            (null == cause.getMessage() ? "" : " " + cause.getMessage()));
    }

    private Set<String> parse(final HttpResponse<byte[]> response)
    {
        if (response.statusCode() != 200)
        {
            throw new ConnectProxyException("connect proxy " + uri + " answered HTTP " + response.statusCode());
        }
        final JsonNode tree;
        try
        {
            tree = mapper.readTree(response.body());
        }
        catch (final Exception ex)
        {
            throw new ConnectProxyException("connect proxy " + uri + " answered something that is not JSON");
        }
        final JsonNode channels = null == tree ? null : tree.get("channels");
        if (null == channels || !channels.isArray())
        {
            throw new ConnectProxyException("connect proxy " + uri + " answer lacks a channels array");
        }
        final Set<String> result = new HashSet<>();
        for (final JsonNode channel : channels)
        {
            if (!channel.isTextual() || !Names.isValid(channel.textValue()))
            {
                throw new ConnectProxyException("connect proxy " + uri + " answered an invalid channel name");
            }
            result.add(channel.textValue());
        }
        return result;
    }

    /**
     * The connect proxy failed; the message says how.
     */
    public static final class ConnectProxyException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what went wrong.
         */
        public ConnectProxyException(final String message)
        {
            super(message, null, false, false);
        }
    }
}
