package io.switchboard.transport;

import io.aeron.Publication;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.Rejection;
import io.switchboard.transport.client.SwitchboardClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static io.switchboard.transport.TestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage on a live channel host's inbound stream is counted and skipped; the host keeps serving and keeps no
 * state from it.
 */
class FuzzedInboundTest
{
    private static final int FRAMES = 100_000;

    private SwitchboardNode node;
    private SwitchboardClient client;
    private Publication raw;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(raw, client, node);
    }

    @Test
    void shouldCountAndSkipRandomFramesAndKeepServing()
    {
        node = SwitchboardNode.launch(new NodeContext().nodeId(1).nodeName("fuzzed-" + System.nanoTime()),
            new EngineWiring());
        raw = node.aeron().addPublication("aeron:ipc?term-length=1m", node.context().streamIdOf(1));
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final SplittableRandom random = new SplittableRandom(42);
        final PublishEncoder publish = new PublishEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();

        long sent = 0;
        while (sent < FRAMES)
        {
            final int length;
            final int kind = random.nextInt(4);
            if (kind == 0)
            {
                // A valid message, then one byte flipped or the frame cut short.
                publish.wrapAndApplyHeader(frame, 0, header).nodeId(99).correlationId(sent).timestampNs(1)
                    .channel("fuzz-" + sent).user("u").messageId("m").putPayload(frame, 0, 16);
                final int full = MessageHeaderEncoder.ENCODED_LENGTH + publish.encodedLength();
                if (random.nextBoolean())
                {
                    length = 1 + random.nextInt(full - 1);
                }
                else
                {
                    length = full;
                    frame.putByte(random.nextInt(MessageHeaderEncoder.ENCODED_LENGTH + 8), (byte)random.nextInt(256));
                    frame.putShort(2, (short)(1000 + random.nextInt(1000))); // never a real template
                }
            }
            else
            {
                length = 1 + random.nextInt(1023);
                for (int i = 0; i < length; i++)
                {
                    frame.putByte(i, (byte)random.nextInt(256));
                }
                if (kind == 1)
                {
                    frame.putShort(4, (short)7301); // right schema id, random rest
                }
            }
            if (raw.offer(frame, 0, length) > 0)
            {
                sent++;
            }
            else
            {
                Thread.yield();
            }
        }

        final TransportCounters counters = node.counters();
        TestSupport.awaitCondition(() -> counters.rejectedTotal() + counters.inboundUnhandled.get() >= FRAMES,
            "all garbage frames counted");
        assertThat(counters.rejectedTotal()).isGreaterThan(FRAMES * 9L / 10);
        assertThat(counters.rejected(Rejection.WRONG_SCHEMA_ID)).isPositive();
        assertThat(counters.rejected(Rejection.UNKNOWN_TEMPLATE)).isPositive();
        assertThat(counters.inboundMessages.get()).isZero();

        final RecordingListener listener = new RecordingListener();
        client = SwitchboardClient.connect(new NodeContext()
            .nodeId(2)
            .nodeName("after-fuzz-" + System.nanoTime())
            .aeronDir(node.aeronDirectoryName())
            .peers(List.of(PeerSpec.parse("1=channel@aeron:ipc"))), listener);
        assertThat(client.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();
        client.subscribe("still-alive");
        final byte[] payload = "ok".getBytes(StandardCharsets.UTF_8);
        pollUntil(client, () -> listener.subscribed.size() == 1, "subscribed after fuzz");
        client.publish("still-alive", "eve", "m1", new UnsafeBuffer(payload), 0, payload.length);
        pollUntil(client, () -> listener.messages.size() == 1, "delivery after fuzz");
        assertThat(listener.messages.get(0).seq()).isEqualTo(1);
        assertThat(node.channelHost().refused()).isZero();

        // Nothing leaked into shard state: the only channel is the one the real client created.
        TestSupport.awaitCondition(() -> channelsHeld() == 1, "only the legitimate channel held");
    }

    private int channelsHeld()
    {
        int channels = 0;
        for (int i = 0; i < node.channelHost().shardCount(); i++)
        {
            channels += ((io.switchboard.engine.channel.ChannelShard)node.channelHost().handler(i)).channelCount();
        }
        return channels;
    }
}
