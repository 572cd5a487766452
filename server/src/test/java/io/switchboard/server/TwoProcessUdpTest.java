package io.switchboard.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issue's "two shells": {@code switchboard run --roles channel,presence} and {@code switchboard run --roles
 * gateway} as two JVM processes talking Aeron UDP on loopback; a WebSocket client on the gateway publishes and
 * receives its own message back through the channel host in the other process.
 */
class TwoProcessUdpTest
{
    private static final long DEADLINE_MS = 60_000;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException
    {
        for (final Process process : processes)
        {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void shouldPublishThroughAGatewayProcessToAChannelHostProcessOverUdp() throws Exception
    {
        final int hostPort = freeUdpPort();
        final int gatewayAeronPort = freeUdpPort();
        final int httpPort = freeTcpPort();
        final String hostChannel = "aeron:udp?endpoint=127.0.0.1:" + hostPort;

        start("channel-host", "run", "--roles", "channel,presence", "--node-id", "10", "--listen", hostChannel,
            "--port", Integer.toString(freeTcpPort()));
        final CompletableFuture<Boolean> gatewayReady = start("gateway", "run", "--roles", "gateway",
            "--node-id", "20", "--listen", "aeron:udp?endpoint=127.0.0.1:" + gatewayAeronPort,
            "--peer", "10=channel+presence@" + hostChannel, "--port", Integer.toString(httpPort), "--api-key", "k");
        assertThat(gatewayReady.get(DEADLINE_MS, TimeUnit.MILLISECONDS)).as("gateway process ready").isTrue();

        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> token = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/api/tokens"))
            .header("Authorization", "Bearer k")
            .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\",\"channels\":[\"udp-room\"]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        final String jwt = token.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        final List<String> frames = new CopyOnWriteArrayList<>();
        final WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws?token=" + jwt), new WebSocket.Listener()
            {
                private final StringBuilder partial = new StringBuilder();

                public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
                {
                    partial.append(data);
                    if (last)
                    {
                        frames.add(partial.toString());
                        partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(DEADLINE_MS, TimeUnit.MILLISECONDS);

        await(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"subscribed\"")), frames, "subscribed");
        assertThat(frames.get(0)).contains("\"type\":\"hello\"");
        socket.sendText("{\"type\":\"publish\",\"channel\":\"udp-room\",\"data\":{\"text\":\"over udp\"},\"ref\":\"r1\"}",
            true).get(DEADLINE_MS, TimeUnit.MILLISECONDS);

        await(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"message\"") && f.contains("over udp")),
            frames, "message delivered back through the channel host process");
        // The ack and the message travel separately from the host: either may come first.
        await(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"ack\"") && f.contains("\"seq\":1")),
            frames, "the ack with seq 1");
        socket.abort();
    }

    private CompletableFuture<Boolean> start(final String name, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
            "-Xmx384m", "-cp", System.getProperty("java.class.path"), SwitchboardMain.class.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);

        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    System.out.println("[" + name + "] " + line);
                    if (line.contains("switchboard: gateway at"))
                    {
                        ready.complete(Boolean.TRUE);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // process gone
            }
            ready.complete(Boolean.FALSE);
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
        return ready;
    }

    private static void await(
        final java.util.function.BooleanSupplier condition, final List<String> frames, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what + "; frames: " + frames);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
