package io.switchboard.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket test client on the JDK's client: records every JSON frame and the close code, and waits for conditions
 * with a deadline (never a sleep). With {@code reading = false} it never asks for frames after the first, like a
 * client that stopped reading.
 * <p>
 * Thread-safe: frames arrive on the HTTP client's threads; waits happen on the test thread.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable
{
    /** Close code recorded when the connection failed without a close frame. */
    public static final int ABNORMAL = 1006;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final java.util.Map<String, Integer> countsByType = new java.util.HashMap<>();
    private final boolean reading;
    private WebSocket webSocket;
    private int closeCode;
    private String closeReason;
    private boolean closed;
    private int pings;

    private WsClient(final boolean reading)
    {
        this.reading = reading;
    }

    /**
     * @param http client to connect with.
     * @param url  ws:// URL with the token.
     * @return the connected client.
     */
    public static WsClient connect(final HttpClient http, final String url)
    {
        return connect(http, url, true);
    }

    /**
     * @param http    client to connect with.
     * @param url     ws:// URL with the token.
     * @param reading false for a client that stops reading after its first frame.
     * @return the connected client.
     */
    public static WsClient connect(final HttpClient http, final String url, final boolean reading)
    {
        final WsClient client = new WsClient(reading);
        client.webSocket = http.newWebSocketBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(10))
            .buildAsync(URI.create(url), client)
            .orTimeout(Await.DEADLINE_MS, TimeUnit.MILLISECONDS)
            .join();
        return client;
    }

    /**
     * @param json one frame.
     */
    public void send(final String json)
    {
        webSocket.sendText(json, true).orTimeout(Await.DEADLINE_MS, TimeUnit.MILLISECONDS).join();
    }

    /**
     * @param type frame type.
     * @return the first frame of that type, waiting for it.
     */
    public JsonNode await(final String type)
    {
        return await(frame -> type.equals(frame.path("type").asText()), "a " + type + " frame");
    }

    /**
     * @param matcher which frame.
     * @param what    for the failure message.
     * @return the first matching frame received so far or later.
     */
    public synchronized JsonNode await(final Predicate<JsonNode> matcher, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.DEADLINE_MS);
        while (true)
        {
            for (final JsonNode frame : frames)
            {
                if (matcher.test(frame))
                {
                    return frame;
                }
            }
            waitUntil(deadlineNs, what);
        }
    }

    /**
     * @param count  frames wanted.
     * @param matcher which frames.
     * @param what   for the failure message.
     * @return the first count matching frames.
     */
    public synchronized List<JsonNode> awaitCount(final int count, final Predicate<JsonNode> matcher, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.DEADLINE_MS);
        while (true)
        {
            final List<JsonNode> matching = matching(matcher);
            if (matching.size() >= count)
            {
                return matching.subList(0, count);
            }
            waitUntil(deadlineNs, what + " (" + matching.size() + " of " + count + ")");
        }
    }

    /**
     * @param type  frame type.
     * @param count how many.
     */
    public synchronized void awaitTypeCount(final String type, final int count)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.DEADLINE_MS);
        while (countsByType.getOrDefault(type, 0) < count)
        {
            waitUntil(deadlineNs, count + " " + type + " frames");
        }
    }

    /**
     * @param count server pings to wait for (the JDK client answers each with a pong).
     */
    public synchronized void awaitPings(final int count)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.DEADLINE_MS);
        while (pings < count)
        {
            waitUntil(deadlineNs, count + " pings");
        }
    }

    /**
     * @return server pings received so far.
     */
    public synchronized int pings()
    {
        return pings;
    }

    /**
     * @return the close code, waiting for the close.
     */
    public synchronized int awaitClose()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.DEADLINE_MS);
        while (!closed)
        {
            waitUntil(deadlineNs, "the connection to close");
        }
        return closeCode;
    }

    /**
     * @param matcher which frames.
     * @return the frames received so far that match.
     */
    public synchronized List<JsonNode> matching(final Predicate<JsonNode> matcher)
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
     * @return every frame so far.
     */
    public synchronized List<JsonNode> frames()
    {
        return new ArrayList<>(frames);
    }

    /**
     * @return true once closed.
     */
    public synchronized boolean isClosed()
    {
        return closed;
    }

    /**
     * @return the reason of the close frame received.
     */
    public synchronized String closeReason()
    {
        return closeReason;
    }

    /**
     * Let a client that stopped reading read everything again.
     */
    public void resumeReading()
    {
        webSocket.request(Long.MAX_VALUE);
    }

    /**
     * Close normally (or abort when the close cannot be sent).
     */
    public void close()
    {
        if (!isClosed())
        {
            webSocket.abort();
        }
    }

    /** {@inheritDoc} */
    public void onOpen(final WebSocket webSocket)
    {
        webSocket.request(1);
    }

    /** {@inheritDoc} */
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
    {
        synchronized (this)
        {
            partial.append(data);
            if (last)
            {
                try
                {
                    final JsonNode frame = MAPPER.readTree(partial.toString());
                    frames.add(frame);
                    countsByType.merge(frame.path("type").asText(), 1, Integer::sum);
                }
                catch (final Exception ex)
                {
                    frames.add(MAPPER.createObjectNode().put("type", "unparseable").put("text", partial.toString()));
                }
                partial.setLength(0);
                notifyAll();
            }
        }
        if (reading)
        {
            webSocket.request(1);
        }
        return null;
    }

    /** {@inheritDoc} */
    public CompletionStage<?> onBinary(final WebSocket webSocket, final ByteBuffer data, final boolean last)
    {
        if (reading)
        {
            webSocket.request(1);
        }
        return null;
    }

    /** {@inheritDoc} */
    public CompletionStage<?> onPing(final WebSocket webSocket, final ByteBuffer message)
    {
        synchronized (this)
        {
            pings++;
            notifyAll();
        }
        if (reading)
        {
            webSocket.request(1);
        }
        return null;
    }

    /** {@inheritDoc} */
    public CompletionStage<?> onPong(final WebSocket webSocket, final ByteBuffer message)
    {
        if (reading)
        {
            webSocket.request(1);
        }
        return null;
    }

    /** {@inheritDoc} */
    public synchronized CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
    {
        closeCode = statusCode;
        closeReason = reason;
        closed = true;
        notifyAll();
        return null;
    }

    /** {@inheritDoc} */
    public synchronized void onError(final WebSocket webSocket, final Throwable error)
    {
        if (!closed)
        {
            closeCode = ABNORMAL;
            closeReason = String.valueOf(error);
            closed = true;
        }
        notifyAll();
    }

    private void waitUntil(final long deadlineNs, final String what)
    {
        final long remainingNs = deadlineNs - System.nanoTime();
        if (remainingNs <= 0)
        {
            throw new AssertionError("timed out waiting for " + what + "; received " + frames);
        }
        try
        {
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(remainingNs, 50_000_000L));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what);
        }
    }
}
