package io.switchboard.transport;

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
 * A node that falls behind a busy peer reads that peer's heartbeats late, queued behind the data it has not read
 * yet. Its peer is not silent, only ahead: working through the backlog must not declare it lost. Here a gateway
 * (the integrator client, polled by the test) stops reading for several of its peer timeouts while the channel
 * host keeps sending it events, then reads everything.
 */
class PeerLivenessUnderBacklogTest
{
    /** More than a duty cycle reads at once, less than the publication's window (the host would drop the rest). */
    private static final int MESSAGES = 1_000;
    /** Long enough that a loaded machine's scheduling cannot pass for silence; the stall is three times longer. */
    private static final long READER_TIMEOUT_MS = 1_000;

    private SwitchboardNode host;
    private SwitchboardClient reader;
    private SwitchboardClient publisher;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(publisher, reader, host);
    }

    @Test
    void shouldNotLoseAPeerWhoseHeartbeatsWaitBehindItsData()
    {
        // The host must not lose the reader while the test holds the reader still: a generous timeout there.
        host = SwitchboardNode.launch(new NodeContext().nodeId(1).nodeName("backlog-host-" + System.nanoTime())
            .peerTimeoutMs(60_000), new EngineWiring());
        final RecordingListener reading = new RecordingListener();
        reader = SwitchboardClient.connect(new NodeContext()
            .nodeId(2)
            .nodeName("backlog-reader-" + System.nanoTime())
            .aeronDir(host.aeronDirectoryName())
            .peerTimeoutMs(READER_TIMEOUT_MS)
            .peers(List.of(PeerSpec.parse("1=all@aeron:ipc"))), reading);
        publisher = SwitchboardClient.connect(new NodeContext()
            .nodeId(3)
            .nodeName("backlog-publisher-" + System.nanoTime())
            .aeronDir(host.aeronDirectoryName())
            .peers(List.of(PeerSpec.parse("1=all@aeron:ipc"))), new RecordingListener());
        assertThat(reader.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();
        assertThat(publisher.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();
        reader.subscribe("backlog");
        pollUntil(reader, () -> reading.subscribed.size() == 1, "subscribed");

        // From here the reader is not polled: everything the host sends it waits in its image, heartbeats included.
        final long heartbeatsBefore = publisher.counters().heartbeatsReceived.get();
        final byte[] payload = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < MESSAGES; i++)
        {
            final int index = i;
            pollUntil(publisher, () -> publisher.publish("backlog", "alice", "m" + index,
                new UnsafeBuffer(payload), 0, payload.length) > 0, "publish accepted");
            publisher.poll();
        }
        // The host heartbeats every 100 ms: thirty of them is three seconds, three times the reader's timeout.
        pollUntil(publisher, () -> publisher.counters().heartbeatsReceived.get() - heartbeatsBefore >= 30,
            "three seconds of the host's heartbeats");
        final long lostBefore = reader.counters().peersLost.get();

        pollUntil(reader, () -> reading.messages.size() == MESSAGES, "the reader catching up");

        assertThat(reader.counters().peersLost.get()).isEqualTo(lostBefore).isZero();
        assertThat(reading.hostsLost).isEmpty();
        assertThat(reading.errors).isEmpty();
        assertThat(reading.messages).extracting(RecordingListener.Message::seq).doesNotHaveDuplicates();
        assertThat(reader.isAvailable("backlog")).isTrue();
    }
}
