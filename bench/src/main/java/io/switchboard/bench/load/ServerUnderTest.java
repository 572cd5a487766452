package io.switchboard.bench.load;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The server the run loads: Switchboard started by the run from {@code server/target/switchboard.jar} with its own
 * heap flags, as one all-in-one process or as the split layout's channel host and gateway ({@link SplitLayout}); NATS
 * ({@code nats-server -c}) with WebSocket on loopback; or an external server, of which nothing is started. Each
 * started process logs to a file in the results directory; CPU time is the sum over them.
 * <p>
 * Thread-safety: driven by the scenario's thread.
 */
final class ServerUnderTest implements AutoCloseable
{
    /** {@code --layout all-in-one}: every role in one JVM over Aeron IPC. */
    static final String ALL_IN_ONE = "all-in-one";
    /** {@code --layout split}: a channel + presence host process and a gateway + API process over Aeron UDP. */
    static final String SPLIT = "split";

    final List<ServerProcess> processes;
    final String httpUrl;
    final String wsUrl;
    final String apiKey;
    final String description;

    ServerUnderTest(final List<ServerProcess> processes, final String httpUrl, final String wsUrl, final String apiKey,
        final String description)
    {
        this.processes = List.copyOf(processes);
        this.httpUrl = httpUrl;
        this.wsUrl = wsUrl;
        this.apiKey = apiKey;
        this.description = description;
    }

    /**
     * An external Switchboard: nothing is started.
     */
    static ServerUnderTest external(final String httpUrl, final String apiKey)
    {
        final String base = httpUrl.endsWith("/") ? httpUrl.substring(0, httpUrl.length() - 1) : httpUrl;
        return new ServerUnderTest(List.of(), base, base.replaceFirst("^http", "ws") + "/ws", apiKey,
            "external " + base);
    }

    /**
     * @param layout {@link #ALL_IN_ONE} or {@link #SPLIT}.
     * @param heap   heap flags of each server JVM.
     * @param opts   more JVM flags of each.
     * @param dir    results directory, for the logs.
     * @return the started server, ready for clients.
     */
    static ServerUnderTest startSwitchboard(final String layout, final String heap, final String opts, final Path dir)
        throws IOException, InterruptedException
    {
        return SPLIT.equals(layout) ? SplitLayout.start(heap, opts, dir) : startAllInOne(heap, opts, dir);
    }

    private static ServerUnderTest startAllInOne(final String heap, final String opts, final Path dir)
        throws IOException, InterruptedException
    {
        final int port = freePort();
        final String apiKey = "bench-" + UUID.randomUUID();
        final List<String> command = switchboardCommand(heap, opts);
        command.addAll(List.of("--port", Integer.toString(port), "--api-key", apiKey));
        System.out.println("load: server: " + String.join(" ", command).replace(apiKey, "<key>"));
        final ServerProcess process = ServerProcess.start("server", command, dir.resolve("server.log"));
        final ServerUnderTest server = new ServerUnderTest(List.of(process), "http://127.0.0.1:" + port,
            "ws://127.0.0.1:" + port + "/ws", apiKey,
            "switchboard all-in-one, pid " + process.pid() + ", " + heap + " " + opts);
        process.awaitLog("switchboard: gateway at", 60_000);
        return server;
    }

    static ServerUnderTest startNats(final Path dir) throws IOException, InterruptedException
    {
        final int port = freePort();
        final int wsPort = freePort();
        final int httpPort = freePort();
        final Path config = dir.resolve("nats.conf");
        Files.writeString(config,
            "listen: \"127.0.0.1:" + port + "\"\n" +
            "http: \"127.0.0.1:" + httpPort + "\"\n" +
            "max_payload: 1048576\n" +
            "websocket { host: \"127.0.0.1\"; port: " + wsPort + "; no_tls: true }\n");
        final ServerProcess process = ServerProcess.start("nats", List.of("nats-server", "-c", config.toString()),
            dir.resolve("nats.log"));
        final ServerUnderTest server = new ServerUnderTest(List.of(process), "http://127.0.0.1:" + httpPort,
            "ws://127.0.0.1:" + wsPort + "/", null, "nats-server pid " + process.pid() + " (" + config + ")");
        process.awaitLog("Server is ready", 30_000);
        return server;
    }

    /**
     * @return CPU seconds (user + system) the server's processes used so far, or -1 when not known.
     */
    double cpuSeconds()
    {
        double seconds = processes.isEmpty() ? -1 : 0;
        for (final ServerProcess process : processes)
        {
            final double used = process.cpuSeconds();
            if (used < 0)
            {
                return -1;
            }
            seconds += used;
        }
        return seconds;
    }

    boolean isAlive()
    {
        return processes.stream().allMatch(ServerProcess::isAlive);
    }

    /**
     * Stop every process the run started, the last started (the gateway of the split layout) first.
     */
    public void close() throws InterruptedException
    {
        for (int i = processes.size() - 1; i >= 0; i--)
        {
            processes.get(i).stop();
        }
        for (int i = processes.size() - 1; i >= 0; i--)
        {
            processes.get(i).awaitStopped();
        }
    }

    /**
     * @param heap heap flags.
     * @param opts more JVM flags.
     * @return {@code java <Agrona flags> <heap> -XX:+UseG1GC <opts> -jar server/target/switchboard.jar run}, to add
     * the node's options to.
     */
    static List<String> switchboardCommand(final String heap, final String opts)
    {
        final List<String> command = new ArrayList<>(List.of("java",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.zip=ALL-UNNAMED"));
        command.addAll(split(heap));
        command.add("-XX:+UseG1GC");
        command.addAll(split(opts));
        command.addAll(List.of("-jar", serverJar(), "run"));
        return command;
    }

    private static String serverJar()
    {
        // bench/run runs from the repository root, Maven's tests from the bench module.
        for (final String candidate : new String[] { "server/target/switchboard.jar", "../server/target/switchboard.jar" })
        {
            if (Files.exists(Path.of(candidate)))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("server/target/switchboard.jar is missing: build the server module first");
    }

    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static List<String> split(final String flags)
    {
        final List<String> parts = new ArrayList<>();
        if (null != flags && !flags.isBlank())
        {
            parts.addAll(Arrays.asList(flags.trim().split("\\s+")));
        }
        return parts;
    }
}
