package io.switchboard.transport;

import io.switchboard.codecs.PublishEncoder;
import io.switchboard.transport.client.SwitchboardClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.transport.TestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A channel host whose shard cannot take a message (its ring is full) holds the poll on that message and tries it
 * again; the sender's heartbeats wait behind it. The sender is not silent, the host is behind it: holding for many
 * times the host's peer timeout must not make the host declare the sender lost. Two embedded drivers over UDP, so
 * the sender's messages arrive on an image of its own.
 */
class HeldMessageLivenessTest
{
    private SwitchboardNode host;
    private SwitchboardClient client;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(client, host);
    }

    @Test
    void shouldNotLoseAPeerWhoseMessageThisNodeHolds()
    {
        final int hostPort = TestSupport.freeUdpPort();
        host = TestSupport.launchUdpChannelHost(10, hostPort, 1_000);
        final AtomicBoolean holding = new AtomicBoolean(true);
        final AtomicBoolean installed = new AtomicBoolean();
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger consumed = new AtomicInteger();
        // A stand-in for a shard whose ring stays full: the publish is held until the test lets it through.
        host.agent().post(() ->
        {
            host.agent().handle(PublishEncoder.TEMPLATE_ID, (templateId, buffer, offset, length) ->
            {
                if (holding.get())
                {
                    held.incrementAndGet();
                    return InboundHandler.HOLD;
                }
                consumed.incrementAndGet();
                return InboundHandler.CONSUMED;
            });
            installed.set(true);
        });

        client = TestSupport.connectUdpClient(20, 10, hostPort, new NodeContext().peerTimeoutMs(),
            new RecordingListener());
        assertThat(client.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();
        pollUntil(client, installed::get, "the holding handler installed");

        final byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(client.publish("held", "alice", "m1", new UnsafeBuffer(payload), 0, payload.length)).isPositive();
        pollUntil(client, () -> held.get() > 0, "the publish held");
        // The host heartbeats every 100 ms: thirty of them is three seconds, three times its 1 s timeout (long
        // enough that a loaded machine's scheduling cannot pass for silence).
        final long heartbeats = client.counters().heartbeatsReceived.get();
        pollUntil(client, () -> client.counters().heartbeatsReceived.get() - heartbeats >= 30,
            "three seconds of holding");
        final long lostWhileHolding = host.counters().peersLost.get();

        holding.set(false);
        pollUntil(client, () -> consumed.get() == 1, "the publish taken once the shard has room");
        assertThat(lostWhileHolding).isZero();
        assertThat(host.counters().peersLost.get()).isZero();
        assertThat(host.agent().peers().peer(20).alive()).isTrue();
    }
}
