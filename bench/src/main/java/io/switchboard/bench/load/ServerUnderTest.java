package io.switchboard.bench.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A server the run starts as its own process: Switchboard all-in-one ({@code java -jar server/target/switchboard.jar
 * run}) with its own heap flags, or NATS ({@code nats-server -c}) with WebSocket on loopback. Its output goes to a
 * log in the results directory. Also reads the process's resident memory.
 * <p>
 * Thread-safety: driven by the scenario's thread.
 */
final class ServerUnderTest implements AutoCloseable
{
    private final Process process;
    final String httpUrl;
    final String wsUrl;
    final String apiKey;
    final String description;

    private ServerUnderTest(final Process process, final String httpUrl, final String wsUrl, final String apiKey,
        final String description)
    {
        this.process = process;
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
        return new ServerUnderTest(null, base, base.replaceFirst("^http", "ws") + "/ws", apiKey, "external " + base);
    }

    static ServerUnderTest startSwitchboard(final String heap, final String opts, final Path dir)
        throws IOException, InterruptedException
    {
        final int port = freePort();
        final String apiKey = "bench-" + UUID.randomUUID();
        final List<String> command = new ArrayList<>(List.of("java",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.zip=ALL-UNNAMED"));
        command.addAll(split(heap));
        command.add("-XX:+UseG1GC");
        command.addAll(split(opts));
        command.addAll(List.of("-jar", serverJar(), "run", "--port", Integer.toString(port),
            "--api-key", apiKey));
        System.out.println("load: server: " + String.join(" ", command).replace(apiKey, "<key>"));
        final Path log = dir.resolve("server.log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        final String base = "http://127.0.0.1:" + port;
        final ServerUnderTest server = new ServerUnderTest(process, base, "ws://127.0.0.1:" + port + "/ws", apiKey,
            "switchboard all-in-one, pid " + process.pid() + ", " + heap + " " + opts);
        server.awaitLog(log, "switchboard: gateway at", 60_000);
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
        final Path log = dir.resolve("nats.log");
        final Process process = new ProcessBuilder("nats-server", "-c", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final ServerUnderTest server = new ServerUnderTest(process, "http://127.0.0.1:" + httpPort,
            "ws://127.0.0.1:" + wsPort + "/", null, "nats-server pid " + process.pid() + " (" + config + ")");
        server.awaitLog(log, "Server is ready", 30_000);
        return server;
    }

    /**
     * @return resident set size of the server process in bytes, or -1 when not known.
     */
    long rssBytes()
    {
        if (null == process)
        {
            return -1;
        }
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (final IOException | NumberFormatException ignore)
        {
            // the process is gone
        }
        return -1;
    }

    /**
     * @return CPU seconds (user + system) the server process used so far, or -1 when not known.
     */
    double cpuSeconds()
    {
        if (null == process)
        {
            return -1;
        }
        try
        {
            final String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * @return the server's pid, or -1 for an external one.
     */
    long pid()
    {
        return null == process ? -1 : process.pid();
    }

    boolean isAlive()
    {
        return null == process || process.isAlive();
    }

    public void close() throws InterruptedException
    {
        if (null != process && process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitLog(final Path log, final String text, final long timeoutMs)
        throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            if (Files.exists(log) && Files.readString(log).contains(text))
            {
                return;
            }
            if (!process.isAlive())
            {
                throw new IllegalStateException("server exited with " + process.exitValue() + " (log: " + log + ")");
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("server did not print '" + text + "' in " + timeoutMs + " ms (log: " + log + ")");
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

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
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
