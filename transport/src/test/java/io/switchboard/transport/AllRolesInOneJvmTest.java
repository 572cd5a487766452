package io.switchboard.transport;

import io.switchboard.transport.client.SwitchboardClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.switchboard.transport.TestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * All roles in one node over IPC with an embedded driver (the default set-up), driven by the integrator client
 * attached to the same driver as a second node.
 */
class AllRolesInOneJvmTest
{
    private SwitchboardNode node;
    private SwitchboardClient client;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start()
    {
        node = SwitchboardNode.launch(new NodeContext().nodeId(1).nodeName("all-in-one-" + System.nanoTime()),
            new EngineWiring());
        client = SwitchboardClient.connect(new NodeContext()
            .nodeId(2)
            .nodeName("client-" + System.nanoTime())
            .aeronDir(node.aeronDirectoryName())
            .peers(List.of(PeerSpec.parse("1=all@aeron:ipc"))), listener);
        assertThat(client.awaitHosts(TestSupport.DEADLINE_MS)).isTrue();
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(client, node);
    }

    @Test
    void shouldSubscribePublishAndDeliverOverIpc()
    {
        final long subscribeId = client.subscribe("general");
        assertThat(subscribeId).isPositive();
        pollUntil(client, () -> listener.subscribed.size() == 1, "subscribed");
        assertThat(listener.subscribed.get(0).correlationId()).isEqualTo(subscribeId);
        assertThat(listener.subscribed.get(0).seq()).isZero();

        for (int i = 1; i <= 100; i++)
        {
            final byte[] payload = ("{\"text\":\"hello " + i + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(client.publish("general", "alice", "m" + i, new UnsafeBuffer(payload), 0, payload.length))
                .isPositive();
            client.poll();
        }
        pollUntil(client, () -> listener.messages.size() == 100 && listener.acks.size() == 100, "100 delivered");

        for (int i = 0; i < 100; i++)
        {
            final RecordingListener.Message message = listener.messages.get(i);
            assertThat(message.seq()).isEqualTo(i + 1);
            assertThat(message.channel()).isEqualTo("general");
            assertThat(message.user()).isEqualTo("alice");
            assertThat(message.payload()).isEqualTo("{\"text\":\"hello " + (i + 1) + "\"}");
        }
        assertThat(listener.acks).extracting(RecordingListener.Ack::seq).doesNotHaveDuplicates().hasSize(100);
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void shouldAnswerHistoryThroughTheChannelHost()
    {
        for (int i = 1; i <= 10; i++)
        {
            final byte[] payload = ("p" + i).getBytes(StandardCharsets.UTF_8);
            client.publish("archive", "bob", "m" + i, new UnsafeBuffer(payload), 0, payload.length);
        }
        pollUntil(client, () -> listener.acks.size() == 10, "10 acks");
        final long epoch = listener.acks.get(0).epoch();

        final long historyId = client.history("archive", 4, epoch, 100);
        pollUntil(client, () -> listener.histories.size() == 1, "history");
        final RecordingListener.History history = listener.histories.get(0);
        assertThat(history.correlationId()).isEqualTo(historyId);
        assertThat(history.complete()).isTrue();
        assertThat(history.lastSeq()).isEqualTo(10);
        assertThat(history.messages()).extracting(m -> m.seq()).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(new String(history.messages().get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("p5");

        client.history("archive", 4, epoch + 1, 100);
        pollUntil(client, () -> listener.histories.size() == 2, "history with another epoch");
        assertThat(listener.histories.get(1).complete()).isFalse();
    }

    @Test
    void shouldFanOutTransientsWithoutStoringThem()
    {
        client.subscribe("typing-room");
        pollUntil(client, () -> listener.subscribed.size() == 1, "subscribed");
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        assertThat(client.sendTransient("typing-room", "carol", "typing", 5000, empty, 0, 0)).isZero();
        pollUntil(client, () -> listener.transients.size() == 1, "transient");
        assertThat(listener.transients).containsExactly("typing-room/carol/typing");

        client.history("typing-room", 0, 0, 10);
        pollUntil(client, () -> listener.histories.size() == 1, "history");
        assertThat(listener.histories.get(0).messages()).isEmpty();
    }

    @Test
    void shouldBatchReactions()
    {
        client.subscribe("reacting");
        pollUntil(client, () -> listener.subscribed.size() == 1, "subscribed");
        for (int i = 0; i < 5; i++)
        {
            assertThat(client.react("reacting", "m1", "user-" + i, i < 3 ? "+1" : "tada")).isZero();
        }
        pollUntil(client, () -> listener.reactions.stream().mapToLong(c -> c.values().stream()
            .mapToLong(Long::longValue).sum()).sum() == 5, "5 reactions in batches");
        final java.util.Map<String, Long> total = new java.util.HashMap<>();
        listener.reactions.forEach(batch -> batch.forEach((emoji, n) -> total.merge(emoji, n, Long::sum)));
        assertThat(total).containsEntry("+1", 3L).containsEntry("tada", 2L);
    }

    @Test
    void shouldDropSubscriptionsOfALostGateway()
    {
        client.subscribe("orphan");
        pollUntil(client, () -> listener.subscribed.size() == 1, "subscribed");
        assertThat(node.agent().peers().peer(2)).isNotNull();

        final io.switchboard.engine.channel.ChannelShard shard = channelShardOf("orphan");
        TestSupport.awaitCondition(() -> shard.gatewayCount() == 1, "gateway subscribed on the shard");

        client.close();
        client = null;
        // The agent marks the peer lost before it counts it: await the count, then the flag is certainly down.
        TestSupport.awaitCondition(() -> node.counters().peersLost.get() == 1, "gateway declared lost");
        assertThat(node.agent().peers().peer(2).alive()).isFalse();
        // The shard dropped the lost gateway's subscriptions: no gateway left, and the channel (no history) is gone.
        TestSupport.awaitCondition(() -> shard.gatewayCount() == 0 && shard.channelCount() == 0,
            "subscriptions of the lost gateway dropped");
    }

    private io.switchboard.engine.channel.ChannelShard channelShardOf(final String channel)
    {
        final byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        final int partition = new io.switchboard.engine.partition.Partitioner(node.context().partitions())
            .partitionOf(new UnsafeBuffer(name), 0, name.length);
        final int shard = new io.switchboard.engine.partition.ShardMap(node.context().channelShards()).shardOf(partition);
        return (io.switchboard.engine.channel.ChannelShard)node.channelHost().handler(shard);
    }
}
