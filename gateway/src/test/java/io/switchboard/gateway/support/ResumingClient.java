package io.switchboard.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client that behaves as the protocol asks of a real one on one channel: it follows {@code drain} to the URL it
 * names after the delay it names, reconnects when a connection drops, and on every new subscription fetches what it
 * missed through {@code history} since its last seq. Messages reach the application (here: a counter and an order
 * check) exactly once, in seq order, whichever connection or history answer brought them.
 * <p>
 * Thread-safe: callbacks of all its connections synchronize on the client.
 */
public final class ResumingClient
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final String channel;
    private final String token;
    private final TreeMap<Long, Long> ahead = new TreeMap<>();
    private String url;
    private Connection current;
    private long lastSeq = -1;
    private long epoch;
    private long targetSeq;
    private long delivered;
    private long dataMismatches;
    private long liveOrderViolations;
    private int connections;
    private int historyRetries;
    private boolean historyInFlight;

    /**
     * @param http      shared HTTP client.
     * @param scheduler runs reconnects.
     * @param url       first gateway's ws:// URL.
     * @param token     the client's token.
     * @param channel   the one channel it follows.
     */
    public ResumingClient(
        final HttpClient http,
        final ScheduledExecutorService scheduler,
        final String url,
        final String token,
        final String channel)
    {
        this.http = http;
        this.scheduler = scheduler;
        this.url = url;
        this.token = token;
        this.channel = channel;
    }

    /**
     * Open the first connection.
     */
    public synchronized void start()
    {
        connect(0);
    }

    /** @return messages delivered to the application. */
    public synchronized long delivered()
    {
        return delivered;
    }

    /** @return last seq delivered, -1 before the first subscription. */
    public synchronized long lastSeq()
    {
        return lastSeq;
    }

    /** @return true once subscribed on the first connection. */
    public synchronized boolean isSubscribed()
    {
        return lastSeq >= 0;
    }

    /** @return URL of the gateway of the current connection. */
    public synchronized String url()
    {
        return url;
    }

    /** @return history requests that failed and were asked again. */
    public synchronized int historyRetries()
    {
        return historyRetries;
    }

    /** @return connections opened. */
    public synchronized int connections()
    {
        return connections;
    }

    /** @return live messages that came out of seq order on one connection (must stay 0). */
    public synchronized long liveOrderViolations()
    {
        return liveOrderViolations;
    }

    /** @return messages whose data did not match their seq (must stay 0). */
    public synchronized long dataMismatches()
    {
        return dataMismatches;
    }

    /** @return true while a connection is open. */
    public synchronized boolean isConnected()
    {
        return null != current && null != current.webSocket && !current.closed;
    }

    /**
     * @return the client's state, for failure messages.
     */
    public synchronized String describe()
    {
        return "lastSeq=" + lastSeq + " target=" + targetSeq + " ahead=" + ahead.size() +
            (ahead.isEmpty() ? "" : " from " + ahead.firstKey()) + " connections=" + connections +
            " connected=" + isConnected() + " historyInFlight=" + historyInFlight + " url=" + url;
    }

    /**
     * Close the current connection.
     */
    public synchronized void close()
    {
        if (null != current && null != current.webSocket)
        {
            current.webSocket.abort();
        }
    }

    private void connect(final long delayMs)
    {
        final String target = url;
        scheduler.schedule(() ->
        {
            final Connection connection = new Connection();
            http.newWebSocketBuilder()
                .buildAsync(URI.create(target + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)),
                    connection)
                .whenComplete((webSocket, error) ->
                {
                    if (null != error)
                    {
                        synchronized (ResumingClient.this)
                        {
                            connect(100);
                        }
                    }
                });
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void onFrame(final Connection connection, final JsonNode frame)
    {
        switch (frame.path("type").asText())
        {
            case "hello" -> onHello(connection);
            case "subscribed" -> onSubscribed(connection, frame);
            case "message" -> onMessage(connection, frame);
            case "history" -> onHistory(connection, frame);
            case "error" ->
            {
                if ("history".equals(frame.path("ref").asText()))
                {
                    // The history request failed (host busy or lost): ask again shortly.
                    historyInFlight = false;
                    historyRetries++;
                    scheduler.schedule(this::retryHistory, 50, TimeUnit.MILLISECONDS);
                }
            }
            case "drain" ->
            {
                if (connection == current)
                {
                    url = frame.path("url").asText(url);
                    connect(frame.path("reconnectInMs").asLong());
                }
            }
            default ->
            {
            }
        }
    }

    private void onHello(final Connection connection)
    {
        final Connection previous = current;
        current = connection;
        connections++;
        historyInFlight = false;
        if (null != previous && previous != connection && null != previous.webSocket)
        {
            previous.replaced = true;
            previous.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "moved");
        }
    }

    private void onSubscribed(final Connection connection, final JsonNode frame)
    {
        for (final JsonNode start : frame.path("channels"))
        {
            if (!channel.equals(start.path("channel").asText()))
            {
                continue;
            }
            final long seq = start.path("seq").asLong();
            if (lastSeq < 0)
            {
                lastSeq = seq;
                epoch = start.path("epoch").asLong();
            }
            targetSeq = Math.max(targetSeq, seq);
            requestMissing(connection);
        }
    }

    private void onMessage(final Connection connection, final JsonNode frame)
    {
        final long seq = frame.path("seq").asLong();
        if (seq <= connection.lastLiveSeq)
        {
            liveOrderViolations++;
        }
        connection.lastLiveSeq = seq;
        accept(seq, frame.path("data").path("n").asLong());
    }

    private void onHistory(final Connection connection, final JsonNode frame)
    {
        historyInFlight = false;
        for (final JsonNode message : frame.path("messages"))
        {
            accept(message.path("seq").asLong(), message.path("data").path("n").asLong());
        }
        requestMissing(connection);
    }

    private void accept(final long seq, final long n)
    {
        if (lastSeq < 0 || seq <= lastSeq)
        {
            return;
        }
        ahead.put(seq, n);
        while (!ahead.isEmpty() && ahead.firstKey() == lastSeq + 1)
        {
            final long data = ahead.pollFirstEntry().getValue();
            lastSeq++;
            delivered++;
            if (data != lastSeq)
            {
                dataMismatches++;
            }
        }
    }

    private synchronized void retryHistory()
    {
        if (null != current)
        {
            requestMissing(current);
        }
    }

    private void requestMissing(final Connection connection)
    {
        final boolean gapBeforeBuffered = !ahead.isEmpty() && ahead.firstKey() > lastSeq + 1;
        if (historyInFlight || connection != current || !(lastSeq < targetSeq || gapBeforeBuffered))
        {
            return;
        }
        historyInFlight = true;
        connection.webSocket.sendText("{\"type\":\"history\",\"channel\":\"" + channel + "\",\"since\":" + lastSeq +
            ",\"epoch\":" + epoch + ",\"limit\":1000,\"ref\":\"history\"}", true);
    }

    private synchronized void onClosed(final Connection connection)
    {
        connection.closed = true;
        if (connection == current && !connection.replaced)
        {
            connect(100);
        }
    }

    private final class Connection implements WebSocket.Listener
    {
        private final StringBuilder partial = new StringBuilder();
        private WebSocket webSocket;
        private long lastLiveSeq;
        private boolean closed;
        private boolean replaced;

        public void onOpen(final WebSocket webSocket)
        {
            this.webSocket = webSocket;
            webSocket.request(1);
        }

        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                final String text = partial.toString();
                partial.setLength(0);
                try
                {
                    onFrame(this, MAPPER.readTree(text));
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException("unparseable frame " + text, ex);
                }
            }
            webSocket.request(1);
            return null;
        }

        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
        {
            onClosed(this);
            return null;
        }

        public void onError(final WebSocket webSocket, final Throwable error)
        {
            onClosed(this);
        }
    }
}
