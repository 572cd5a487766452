package io.switchboard.bench.regions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The delay relay on loopback: both directions pass, each client gets its own upstream socket (so a target that
 * answers the source address answers the right client), order holds, and nothing leaves before its delay.
 */
class DelayRelayTest
{
    private static final int DELAY_MS = 30;
    private static final int RECEIVE_TIMEOUT_MS = 10_000;

    private final Set<InetSocketAddress> echoSources = ConcurrentHashMap.newKeySet();
    private DatagramSocket echo;
    private Thread echoThread;
    private DelayRelay relay;
    private Thread relayThread;

    @AfterEach
    void stop() throws Exception
    {
        if (null != relay)
        {
            relay.close();
            relayThread.join(RECEIVE_TIMEOUT_MS);
        }
        if (null != echo)
        {
            echo.close();
            echoThread.join(RECEIVE_TIMEOUT_MS);
        }
    }

    private InetSocketAddress startEcho() throws SocketException
    {
        echo = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        echoThread = new Thread(() ->
        {
            final byte[] buffer = new byte[2048];
            try
            {
                while (true)
                {
                    final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    echo.receive(packet);
                    echoSources.add((InetSocketAddress)packet.getSocketAddress());
                    // Answer the source address, as an Aeron receiver sends status messages and NAKs.
                    echo.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                }
            }
            catch (final IOException closed)
            {
                // socket closed by the test
            }
        }, "echo");
        echoThread.start();
        return (InetSocketAddress)echo.getLocalSocketAddress();
    }

    private InetSocketAddress startRelay(final InetSocketAddress target) throws IOException
    {
        final int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            port = probe.getLocalPort();
        }
        final InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        relay = new DelayRelay(List.of(new DelayRelay.Route(listen, target, DELAY_MS)));
        relayThread = new Thread(relay, "relay");
        relayThread.start();
        return listen;
    }

    private static DatagramSocket client() throws SocketException
    {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
        return socket;
    }

    private static void send(final DatagramSocket socket, final InetSocketAddress to, final String text)
        throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private static String receive(final DatagramSocket socket) throws IOException
    {
        final byte[] buffer = new byte[2048];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldRelayBothWaysInOrderWithAnUpstreamSocketPerClient() throws Exception
    {
        final InetSocketAddress relayAddress = startRelay(startEcho());
        try (DatagramSocket alice = client(); DatagramSocket bob = client())
        {
            for (int i = 0; i < 50; i++)
            {
                send(alice, relayAddress, "alice-" + i);
                send(bob, relayAddress, "bob-" + i);
            }
            for (int i = 0; i < 50; i++)
            {
                assertThat(receive(alice)).isEqualTo("alice-" + i);
                assertThat(receive(bob)).isEqualTo("bob-" + i);
            }
            // Two clients, two upstream sockets: the target saw two sources, neither of them a client's own address.
            assertThat(echoSources).hasSize(2)
                .doesNotContain((InetSocketAddress)alice.getLocalSocketAddress(),
                    (InetSocketAddress)bob.getLocalSocketAddress());
        }
    }

    @Test
    void shouldHoldEachDirectionForTheDelay() throws Exception
    {
        final InetSocketAddress relayAddress = startRelay(startEcho());
        try (DatagramSocket client = client())
        {
            final long sentNs = System.nanoTime();
            send(client, relayAddress, "ping");
            assertThat(receive(client)).isEqualTo("ping");
            // A lower bound, not a performance threshold: the relay never sends a datagram before it is due.
            assertThat(System.nanoTime() - sentNs).isGreaterThanOrEqualTo(2L * DELAY_MS * 1_000_000L);
        }
        // The relay counts a datagram after the kernel took it, so the echo can reach the client first: await it.
        final long deadlineNs = System.nanoTime() + RECEIVE_TIMEOUT_MS * 1_000_000L;
        while (relay.forwarded() < 2 && System.nanoTime() - deadlineNs < 0)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000L);
        }
        assertThat(relay.forwarded()).isEqualTo(2);
        assertThat(relay.dropped()).isZero();
    }

    @Test
    void shouldParseRouteGroupsAndRejectIncompleteOnes()
    {
        final List<DelayRelay.Route> routes = DelayRelay.parseRoutes(new String[]{
            "--listen", "127.0.0.1:40100", "--target", "127.0.0.2:40100", "--delay-ms", "40",
            "--listen", "127.0.0.1:40200", "--target", "127.0.0.3:40200", "--delay-ms", "60" });

        assertThat(routes).hasSize(2);
        assertThat(routes.get(1).target()).isEqualTo(new InetSocketAddress("127.0.0.3", 40200));
        assertThat(routes.get(1).delayMs()).isEqualTo(60);
        assertThatThrownBy(() -> DelayRelay.parseRoutes(new String[]{ "--listen", "127.0.0.1:1", "--delay-ms", "5" }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--listen and --target");
        assertThatThrownBy(() -> DelayRelay.parseRoutes(new String[]{ "--listen", "nohost" }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("HOST:PORT");
    }
}
