package io.switchboard.transport;

import io.switchboard.transport.client.ClientListener;
import io.switchboard.transport.client.SwitchboardClient;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Helpers for transport tests: free ports and polling with a deadline (never a sleep).
 */
final class TestSupport
{
    static final long DEADLINE_MS = 20_000;

    private TestSupport()
    {
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static String udp(final int port)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + port;
    }

    /**
     * A channel host on its own embedded driver, listening on UDP: its peers' messages arrive on images of their own.
     *
     * @param nodeId        the host's node id.
     * @param port          UDP port to listen on.
     * @param peerTimeoutMs its peer timeout.
     * @return the running host.
     */
    static SwitchboardNode launchUdpChannelHost(final int nodeId, final int port, final long peerTimeoutMs)
    {
        return SwitchboardNode.launch(new NodeContext()
            .nodeId(nodeId)
            .nodeName("udp-host-" + nodeId + "-" + System.nanoTime())
            .roles(EnumSet.of(Role.CHANNEL))
            .listenChannel(udp(port))
            .peerTimeoutMs(peerTimeoutMs), new EngineWiring());
    }

    /**
     * A headless gateway (the integrator client) on its own embedded driver, with the host as its static peer.
     *
     * @param nodeId        the client's node id.
     * @param hostId        the host's node id.
     * @param hostPort      the host's UDP port.
     * @param peerTimeoutMs the client's peer timeout.
     * @param listener      told what arrives.
     * @return the connected client; poll it.
     */
    static SwitchboardClient connectUdpClient(
        final int nodeId,
        final int hostId,
        final int hostPort,
        final long peerTimeoutMs,
        final ClientListener listener)
    {
        return SwitchboardClient.connect(new NodeContext()
            .nodeId(nodeId)
            .nodeName("udp-client-" + nodeId + "-" + System.nanoTime())
            .listenChannel(udp(freeUdpPort()))
            .peerTimeoutMs(peerTimeoutMs)
            .peers(List.of(PeerSpec.parse(hostId + "=channel@" + udp(hostPort)))), listener);
    }

    /**
     * Poll the client until the condition holds, failing the test at the deadline or on interrupt.
     */
    static void pollUntil(final SwitchboardClient client, final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw new AssertionError("interrupted waiting for " + what);
            }
            if (0 == client.poll())
            {
                Thread.yield();
            }
        }
    }

    static void awaitCondition(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw new AssertionError("interrupted waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
