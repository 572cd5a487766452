package io.switchboard.gateway.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection of a fuzzing client: a {@link RawWebSocket} the test thread writes garbage to, and a reader thread
 * that checks every server frame is JSON, counts error codes, and matches the answers to checked refs.
 * <p>
 * Thread-safe: the test thread sends, the reader thread records; shared state is concurrent or synchronised.
 */
public final class FuzzConnection implements AutoCloseable
{
    // The gateway accepts data nested up to its parser's limit (1000 levels per frame), so a history answer wrapping
    // such data in its envelope is nested a few levels deeper: valid JSON that a default parser refuses.
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2000).build())
        .build());

    private final RawWebSocket socket;
    private final Thread reader;
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> errorCodes;
    private final List<String> problems;
    private volatile boolean ended;
    private volatile int closeCode;

    private FuzzConnection(
        final RawWebSocket socket, final Map<String, AtomicInteger> errorCodes, final List<String> problems)
    {
        this.socket = socket;
        this.errorCodes = errorCodes;
        this.problems = problems;
        this.reader = new Thread(this::read, "fuzz-reader");
        reader.setDaemon(true);
    }

    /**
     * @param port       the gateway's port.
     * @param token      the fuzzing user's token.
     * @param errorCodes counts of error codes received, shared across connections.
     * @param problems   what went wrong (a non-JSON frame, a wrong code), shared across connections.
     * @return a connection past hello, its reader running.
     * @throws IOException when the handshake fails.
     */
    public static FuzzConnection open(
        final int port, final String token, final Map<String, AtomicInteger> errorCodes, final List<String> problems)
        throws IOException
    {
        final RawWebSocket socket = RawWebSocket.connect(port, "/ws?token=" + token);
        final String hello = socket.readTextOrClose();
        if (null == hello || !hello.contains("\"hello\""))
        {
            socket.close();
            throw new IOException("expected hello, got " + hello);
        }
        final FuzzConnection connection = new FuzzConnection(socket, errorCodes, problems);
        connection.reader.start();
        return connection;
    }

    /**
     * @param frame what to send; a checked frame's answer is awaited by {@link #awaitAnswers()}.
     * @return false when the connection is gone (nothing sent).
     */
    public boolean send(final MalformedFrames.Frame frame)
    {
        if (ended)
        {
            return false;
        }
        if (null != frame.ref())
        {
            pending.put(frame.ref(), frame.expectedCode());
        }
        try
        {
            if (frame.binary())
            {
                socket.sendBinary(frame.payload());
            }
            else
            {
                socket.sendText(frame.payload());
            }
            return true;
        }
        catch (final IOException ex)
        {
            ended = true;
            return false;
        }
    }

    /**
     * Wait until every checked frame sent is answered, or the connection ended (then the unanswered are dropped:
     * the gateway closed it, e.g. as a slow consumer, and {@link #closeCode()} says why).
     */
    public void awaitAnswers()
    {
        Await.until(() -> pending.isEmpty() || ended, "answers to " + pending.size() + " checked frames");
    }

    /**
     * @return the close code once the server closed the connection (0 before, 1006 without a close frame).
     */
    public int awaitClose()
    {
        Await.until(() -> ended, "the gateway to close the fuzzing connection");
        return closeCode;
    }

    /**
     * @return true once the connection is gone.
     */
    public boolean isEnded()
    {
        return ended;
    }

    /**
     * @return the close code, 0 while open.
     */
    public int closeCode()
    {
        return closeCode;
    }

    /**
     * Close the socket and wait for the reader.
     */
    public void close()
    {
        try
        {
            socket.close();
            reader.join(Await.DEADLINE_MS);
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private void read()
    {
        try
        {
            String text;
            while (null != (text = socket.readTextOrClose()))
            {
                onFrame(text);
            }
            closeCode = socket.closeCode();
        }
        catch (final IOException ex)
        {
            closeCode = WsClient.ABNORMAL;
        }
        finally
        {
            ended = true;
        }
    }

    private void onFrame(final String text)
    {
        final JsonNode frame;
        try
        {
            frame = MAPPER.readTree(text);
        }
        catch (final IOException ex)
        {
            problem("a server frame is not JSON: " + text);
            return;
        }
        final String ref = frame.path("ref").asText("");
        final String expected = ref.startsWith(MalformedFrames.CHECKED_REF) ? pending.remove(ref) : null;
        if ("error".equals(frame.path("type").asText()))
        {
            final String code = frame.path("code").asText();
            errorCodes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
            if (null != expected && !expected.equals(code))
            {
                problem("expected " + expected + " for " + ref + ", got " + text);
            }
        }
        else if (null != expected)
        {
            problem("expected error " + expected + " for " + ref + ", got " + text);
        }
    }

    private void problem(final String problem)
    {
        synchronized (problems)
        {
            if (problems.size() < 20)
            {
                problems.add(problem);
            }
        }
    }
}
