package io.switchboard.transport;

import io.switchboard.transport.client.SwitchboardClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.switchboard.transport.TestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway that pauses (a long collection, say) past the host's peer timeout is declared lost by the host, which
 * drops its subscriptions. The gateway itself heard the host all along, so it would never learn its subscriptions
 * are gone and its sessions would silently stop receiving. Heartbeats from the host carry another incarnation once
 * it has declared the gateway lost: the gateway takes the host for restarted, and subscribes again.
 */
class MutualLossTest
{
    private SwitchboardNode host;
    private SwitchboardClient gateway;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(gateway, host);
    }

    @Test
    void shouldMakeAPausedPeerNoticeItWasLostAndSubscribeAgain()
    {
        final int hostPort = TestSupport.freeUdpPort();
        host = TestSupport.launchUdpChannelHost(10, hostPort, 300);
        final RecordingListener listener = new RecordingListener();
        gateway = TestSupport.connectUdpClient(20, 10, hostPort, 300, listener);
        assertThat(gateway.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();
        gateway.subscribe("fenced");
        pollUntil(gateway, () -> listener.subscribed.size() == 1, "subscribed");

        final int upsBefore = listener.hostsUp.size();
        // The pause: the gateway is not polled until the host has declared it lost.
        final long deadlineNs = System.nanoTime() + TestSupport.DEADLINE_MS * 1_000_000L;
        while (host.counters().peersLost.get() == 0)
        {
            assertThat(System.nanoTime() - deadlineNs).as("the host declares the paused gateway lost").isNegative();
            Thread.onSpinWait();
        }

        pollUntil(gateway, () -> !listener.hostsLost.isEmpty(), "the gateway noticing it was lost");
        pollUntil(gateway, () -> listener.hostsUp.size() > upsBefore && gateway.isAvailable("fenced"),
            "the host back and the channel available again");

        final byte[] payload = "{\"after\":true}".getBytes(StandardCharsets.UTF_8);
        pollUntil(gateway, () -> gateway.publish("fenced", "alice", "after", new UnsafeBuffer(payload), 0,
            payload.length) > 0, "publish accepted");
        pollUntil(gateway, () -> listener.messages.stream().anyMatch(m -> "after".equals(m.messageId())),
            "a message delivered after the loss: the subscription was renewed");
    }
}
