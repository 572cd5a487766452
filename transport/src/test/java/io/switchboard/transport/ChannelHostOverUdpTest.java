package io.switchboard.transport;

import io.switchboard.codecs.ErrorCode;
import io.switchboard.transport.client.SwitchboardClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.switchboard.transport.TestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A channel host in another JVM over UDP on loopback, driven by the integrator client: publish to delivery, and a
 * host that is killed (like kill -9) and comes back.
 */
class ChannelHostOverUdpTest
{
    private final RecordingListener listener = new RecordingListener();
    private HostProcess host;
    private SwitchboardClient client;

    @AfterEach
    void stop() throws Exception
    {
        CloseHelper.closeAll(client, host);
    }

    private SwitchboardClient connect(final int hostPort)
    {
        return SwitchboardClient.connect(new NodeContext()
            .nodeId(20)
            .nodeName("udp-client-" + System.nanoTime())
            .listenChannel(TestSupport.udp(TestSupport.freeUdpPort()))
            .peers(List.of(PeerSpec.parse("10=channel@" + TestSupport.udp(hostPort)))), listener);
    }

    private long publish(final String channel, final String text)
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return client.publish(channel, "dave", text, new UnsafeBuffer(payload), 0, payload.length);
    }

    @Test
    void shouldPublishAndDeliverAcrossProcessesOverUdp() throws Exception
    {
        final int hostPort = TestSupport.freeUdpPort();
        host = HostProcess.start(10, hostPort);
        client = connect(hostPort);
        assertThat(client.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();

        client.subscribe("udp-room");
        pollUntil(client, () -> listener.subscribed.size() == 1, "subscribed over udp");
        for (int i = 1; i <= 1000; i++)
        {
            long result;
            while ((result = publish("udp-room", "m" + i)) < 0)
            {
                assertThat(result).isEqualTo(SwitchboardClient.BACK_PRESSURED);
                client.poll();
            }
            client.poll();
        }
        pollUntil(client, () -> listener.messages.size() == 1000, "1000 messages over udp");
        for (int i = 0; i < 1000; i++)
        {
            assertThat(listener.messages.get(i).seq()).isEqualTo(i + 1);
            assertThat(listener.messages.get(i).payload()).isEqualTo("m" + (i + 1));
        }
        pollUntil(client, () -> listener.acks.size() == 1000, "1000 acks");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void shouldAnswerUnavailableWhileHostIsLostAndResubscribeWhenItReturns() throws Exception
    {
        final int hostPort = TestSupport.freeUdpPort();
        host = HostProcess.start(10, hostPort);
        client = connect(hostPort);
        assertThat(client.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();
        client.subscribe("fragile");
        pollUntil(client, () -> listener.subscribed.size() == 1, "subscribed");
        publish("fragile", "before");
        pollUntil(client, () -> listener.messages.size() == 1, "first message");
        final long firstEpoch = listener.messages.get(0).epoch();

        host.kill();
        final long lostAtNs = System.nanoTime();
        pollUntil(client, () -> listener.hostsLost.contains(10), "host declared lost");
        final long detectionMs = (System.nanoTime() - lostAtNs) / 1_000_000;
        System.out.println("host loss detected after " + detectionMs + " ms");

        assertThat(client.isAvailable("fragile")).isFalse();
        assertThat(publish("fragile", "while-down")).isEqualTo(SwitchboardClient.UNAVAILABLE);
        assertThat(client.subscribe("fragile-2")).isEqualTo(SwitchboardClient.UNAVAILABLE);

        host = HostProcess.start(10, hostPort);
        pollUntil(client, () -> listener.hostsUp.size() == 2, "host back");
        pollUntil(client, () -> listener.subscribed.size() == 2, "re-subscribed automatically");
        final RecordingListener.Subscribed resubscribed = listener.subscribed.get(1);
        assertThat(resubscribed.channel()).isEqualTo("fragile");
        assertThat(resubscribed.epoch()).isNotEqualTo(firstEpoch); // the restarted host rebuilt the channel

        assertThat(publish("fragile", "after")).isPositive();
        pollUntil(client, () -> listener.messages.size() == 2, "message after return");
        assertThat(listener.messages.get(1).payload()).isEqualTo("after");
        assertThat(listener.messages.get(1).seq()).isEqualTo(1);
        assertThat(listener.errors).extracting(RecordingListener.Error::code).doesNotContain(ErrorCode.BAD_REQUEST);
    }
}
