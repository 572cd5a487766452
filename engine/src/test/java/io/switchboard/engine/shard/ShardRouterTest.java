package io.switchboard.engine.shard;

import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.NodeLostEncoder;
import io.switchboard.codecs.PresenceConnectEncoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.PublishAckEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.engine.partition.DefaultKeyHasher;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ShardRouterTest
{
    private static final int SHARDS = 4;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final List<List<Integer>> templatesPerShard = new ArrayList<>();
    private final ShardSelector selector = (name, offset, length) ->
        (int)Long.remainderUnsigned(DefaultKeyHasher.INSTANCE.hash(name, offset, length), SHARDS);
    private ShardRouter router;

    @AfterEach
    void close()
    {
        if (null != router)
        {
            router.close();
        }
    }

    private ShardRouter newRouter(final int ringSize, final CountDownLatch gate)
    {
        final ShardPipeline[] shards = new ShardPipeline[SHARDS];
        for (int i = 0; i < SHARDS; i++)
        {
            final List<Integer> templates = new CopyOnWriteArrayList<>();
            templatesPerShard.add(templates);
            shards[i] = new ShardPipeline(new ShardContext().ringSize(ringSize).threadName("shard-" + i),
                (buf, offset, length) ->
                {
                    awaitQuietly(gate);
                    templates.add(buf.getShort(offset + 2) & 0xFFFF);
                }).start();
        }
        return new ShardRouter(shards, selector);
    }

    @Test
    void shouldSendEveryMessageOfOneChannelToTheSameShard()
    {
        router = newRouter(1024, new CountDownLatch(0));
        final int subscribeLength = encodeSubscribe("general");
        final UnsafeBuffer name = new UnsafeBuffer("general".getBytes());
        final int expectedShard = selector.shardOf(name, 0, name.capacity());

        assertThat(router.route(buffer, 0, subscribeLength)).isEqualTo(ShardPipeline.OFFERED);
        final int publishLength = encodePublish("general");
        assertThat(router.route(buffer, 0, publishLength)).isEqualTo(ShardPipeline.OFFERED);
        router.close();

        assertThat(templatesPerShard.get(expectedShard))
            .containsExactly(SubscribeEncoder.TEMPLATE_ID, PublishEncoder.TEMPLATE_ID);
        for (int i = 0; i < SHARDS; i++)
        {
            if (i != expectedShard)
            {
                assertThat(templatesPerShard.get(i)).isEmpty();
            }
        }
    }

    @Test
    void shouldSpreadChannelsAndRouteUsersByName()
    {
        router = newRouter(1024, new CountDownLatch(0));
        for (int i = 0; i < 400; i++)
        {
            assertThat(router.route(buffer, 0, encodeSubscribe("channel-" + i))).isEqualTo(ShardPipeline.OFFERED);
        }
        final PresenceConnectEncoder connect = new PresenceConnectEncoder();
        connect.wrapAndApplyHeader(buffer, 0, header).nodeId(1).user("alice");
        assertThat(router.route(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength()))
            .isEqualTo(ShardPipeline.OFFERED);
        router.close();

        int total = 0;
        for (final List<Integer> templates : templatesPerShard)
        {
            assertThat(templates).isNotEmpty();
            total += templates.size();
        }
        assertThat(total).isEqualTo(401);
    }

    @Test
    void shouldBroadcastNodeLostToEveryShard()
    {
        router = newRouter(1024, new CountDownLatch(0));
        assertThat(router.route(buffer, 0, encodeNodeLost())).isEqualTo(ShardPipeline.OFFERED);
        router.close();

        for (final List<Integer> templates : templatesPerShard)
        {
            assertThat(templates).containsExactly(NodeLostEncoder.TEMPLATE_ID);
        }
    }

    @Test
    void shouldNotBroadcastToAnyShardWhenOneIsFull()
    {
        final CountDownLatch gate = new CountDownLatch(1);
        router = newRouter(2, gate);
        final UnsafeBuffer name = new UnsafeBuffer("busy".getBytes());
        final int busyShard = selector.shardOf(name, 0, name.capacity());
        final int subscribeLength = encodeSubscribe("busy");
        int offered = 0;
        while (router.route(buffer, 0, subscribeLength) == ShardPipeline.OFFERED)
        {
            offered++;
        }
        assertThat(offered).isEqualTo(2);

        assertThat(router.route(buffer, 0, encodeNodeLost())).isEqualTo(ShardPipeline.BACK_PRESSURED);
        gate.countDown();
        router.close();

        for (int i = 0; i < SHARDS; i++)
        {
            assertThat(templatesPerShard.get(i)).doesNotContain(NodeLostEncoder.TEMPLATE_ID);
        }
        assertThat(templatesPerShard.get(busyShard)).hasSize(offered);
    }

    @Test
    void shouldRefuseMessagesThatNoShardHandles()
    {
        router = newRouter(16, new CountDownLatch(0));
        final PublishAckEncoder ack = new PublishAckEncoder();
        ack.wrapAndApplyHeader(buffer, 0, header).correlationId(1).seq(1).epoch(1).channel("x").messageId("m");
        assertThat(router.route(buffer, 0, MessageHeaderDecoder.ENCODED_LENGTH + ack.encodedLength()))
            .isEqualTo(ShardRouter.NOT_ROUTABLE);
    }

    private int encodeSubscribe(final String channel)
    {
        final SubscribeEncoder encoder = new SubscribeEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, header).nodeId(1).correlationId(2).channel(channel);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodePublish(final String channel)
    {
        final PublishEncoder encoder = new PublishEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, header).nodeId(1).correlationId(3).timestampNs(4)
            .channel(channel).user("u").messageId("m").putPayload(new byte[]{ 1, 2, 3 }, 0, 3);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeNodeLost()
    {
        final NodeLostEncoder encoder = new NodeLostEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, header).nodeId(9).timestampNs(1);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("gate not opened");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
