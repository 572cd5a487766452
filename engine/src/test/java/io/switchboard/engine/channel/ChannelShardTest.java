package io.switchboard.engine.channel;

import io.switchboard.codecs.ChannelEventDecoder;
import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.PublishAckDecoder;
import io.switchboard.codecs.SubscribedDecoder;
import io.switchboard.codecs.TransientEventDecoder;
import io.switchboard.codecs.ReactionBatchDecoder;
import io.switchboard.engine.OutboundSink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static io.switchboard.engine.channel.ShardDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelShardTest
{
    private final ShardDriver driver = new ShardDriver(ShardDriver.context());
    private final RecordingSink sink = driver.sink;
    private final ChannelShard shard = driver.shard;

    @Test
    void shouldReplySubscribedWithNoSeqForNewChannel()
    {
        driver.subscribe(7, 42, "c-1");

        final List<RecordingSink.Sent> sent = sink.drain();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).templateId()).isEqualTo(SubscribedDecoder.TEMPLATE_ID);
        final RecordingSink.Subscribed subscribed = sent.get(0).subscribed();
        assertThat(subscribed.nodeId()).isEqualTo(7);
        assertThat(subscribed.correlationId()).isEqualTo(42);
        assertThat(subscribed.seq()).isZero();
        assertThat(subscribed.epoch()).isPositive();
        assertThat(subscribed.channel()).isEqualTo("c-1");
        assertThat(shard.channelCount()).isEqualTo(1);
        assertThat(shard.gatewayCount()).isEqualTo(1);
    }

    @Test
    void shouldReplyLastSeqToLaterSubscriber()
    {
        driver.publish(1, 1, "c-1", bytes("a"));
        driver.publish(1, 2, "c-1", bytes("b"));
        sink.drain();

        driver.subscribe(2, 9, "c-1");

        final RecordingSink.Subscribed subscribed = sink.drain().get(0).subscribed();
        assertThat(subscribed.seq()).isEqualTo(2);
    }

    @Test
    void shouldKeepOneSubscriptionPerGatewayWhenSubscribedTwice()
    {
        driver.subscribe(7, 1, "c-1");
        driver.subscribe(7, 2, "c-1");
        final List<RecordingSink.Sent> replies = sink.drain();
        assertThat(replies).extracting(sent -> sent.subscribed().correlationId()).containsExactly(1L, 2L);
        assertThat(replies.get(0).subscribed().epoch()).isEqualTo(replies.get(1).subscribed().epoch());

        driver.publish(3, 5, "c-1", bytes("hello"));

        assertThat(events(sink.drain())).extracting(RecordingSink.Event::nodeId).containsExactly(7);
        assertThat(shard.gatewayCount()).isEqualTo(1);

        driver.unsubscribe(7, "c-1");
        driver.publish(3, 6, "c-1", bytes("again"));
        assertThat(events(sink.drain())).isEmpty();
    }

    @Test
    void shouldAckPublishAndSendOneEventPerSubscribedGateway()
    {
        driver.subscribe(1, 1, "c-1");
        driver.subscribe(2, 2, "c-1");
        driver.subscribe(3, 3, "c-1");
        driver.subscribe(4, 4, "c-2");
        final long epoch = sink.drain().get(0).subscribed().epoch();

        driver.publish(9, 77, 123_456L, "c-1", "alice", "msg-1", bytes("{\"text\":\"hi\"}"));

        final List<RecordingSink.Sent> sent = sink.drain();
        final List<RecordingSink.Event> events = events(sent);
        assertThat(events).extracting(RecordingSink.Event::nodeId).containsExactlyInAnyOrder(1, 2, 3);
        for (final RecordingSink.Event event : events)
        {
            assertThat(event.seq()).isEqualTo(1);
            assertThat(event.epoch()).isEqualTo(epoch);
            assertThat(event.timestampNs()).isEqualTo(123_456L);
            assertThat(event.channel()).isEqualTo("c-1");
            assertThat(event.user()).isEqualTo("alice");
            assertThat(event.messageId()).isEqualTo("msg-1");
            assertThat(event.payload()).isEqualTo(bytes("{\"text\":\"hi\"}"));
        }

        final List<RecordingSink.Sent> acks = sent.stream()
            .filter(s -> s.templateId() == PublishAckDecoder.TEMPLATE_ID).toList();
        assertThat(acks).hasSize(1);
        final RecordingSink.Ack ack = acks.get(0).ack();
        assertThat(ack).isEqualTo(new RecordingSink.Ack(9, 77, 1, epoch, "c-1", "msg-1"));
        assertThat(shard.publishedCount()).isEqualTo(1);
        assertThat(shard.deliveredCount()).isEqualTo(3);
    }

    @Test
    void shouldAssignGapFreeSeqFromOnePerChannel()
    {
        for (int i = 1; i <= 5; i++)
        {
            driver.publish(1, i, "c-1", bytes("x"));
            driver.publish(1, 100 + i, "c-2", bytes("y"));
        }

        final List<RecordingSink.Ack> acks = sink.drain().stream().map(RecordingSink.Sent::ack).toList();
        assertThat(acks.stream().filter(a -> a.channel().equals("c-1")).map(RecordingSink.Ack::seq))
            .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(acks.stream().filter(a -> a.channel().equals("c-2")).map(RecordingSink.Ack::seq))
            .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldCreateChannelAndKeepHistoryWhenPublishingWithoutSubscribers()
    {
        driver.publish(1, 1, "quiet", bytes("first"));

        assertThat(shard.channelCount()).isEqualTo(1);
        assertThat(sink.drain()).extracting(RecordingSink.Sent::templateId)
            .containsExactly(PublishAckDecoder.TEMPLATE_ID);

        driver.history(2, 5, "quiet", 0, 0, 10);
        final RecordingSink.History history = sink.drain().get(0).history();
        assertThat(history.seqs()).containsExactly(1L);
        assertThat(history.messages().get(0).payload()).isEqualTo(bytes("first"));
    }

    @Test
    void shouldForwardTransientToSubscribedGatewaysWithoutSeqOrStorage()
    {
        driver.subscribe(1, 1, "c-1");
        driver.subscribe(2, 2, "c-1");
        driver.subscribe(3, 3, "other");
        driver.publish(1, 3, "c-1", bytes("persisted"));
        sink.drain();

        driver.transientEvent(1, 555L, 999L, 5000, "c-1", "bob", "typing", bytes("{}"));
        final List<RecordingSink.Sent> sent = sink.drain();
        assertThat(sent).extracting(RecordingSink.Sent::nodeId).containsExactlyInAnyOrder(1, 2);
        for (final RecordingSink.Sent forwarded : sent)
        {
            assertThat(forwarded.templateId()).isEqualTo(TransientEventDecoder.TEMPLATE_ID);
            final RecordingSink.TransientEvent event = forwarded.transientEvent();
            assertThat(event.originNodeId()).isEqualTo(1);
            assertThat(event.sessionId()).isEqualTo(555L);
            assertThat(event.timestampNs()).isEqualTo(999L);
            assertThat(event.ttlMs()).isEqualTo(5000);
            assertThat(event.eventName()).isEqualTo("typing");
            assertThat(event.channel()).isEqualTo("c-1");
            assertThat(event.user()).isEqualTo("bob");
            assertThat(event.payload()).isEqualTo(bytes("{}"));
        }
        assertThat(shard.transientsDeliveredCount()).isEqualTo(2);
        assertThat(shard.publishedCount()).isEqualTo(1);

        driver.history(1, 9, "c-1", 0, 0, 100);
        final RecordingSink.History history = sink.drain().get(0).history();
        assertThat(history.lastSeq()).isEqualTo(1);
        assertThat(history.seqs()).containsExactly(1L);
    }

    @Test
    void shouldNotCreateChannelForTransient()
    {
        driver.transientEvent(1, 1, 1, 5000, "nobody", "bob", "typing", bytes("{}"));

        assertThat(sink.drain()).isEmpty();
        assertThat(shard.channelCount()).isZero();
    }

    @Test
    void shouldRemoveChannelWithoutHistoryWhenLastSubscriberLeaves()
    {
        driver.subscribe(1, 1, "c-1");
        driver.subscribe(2, 2, "c-1");
        driver.unsubscribe(1, "c-1");
        assertThat(shard.channelCount()).isEqualTo(1);

        driver.unsubscribe(2, "c-1");

        assertThat(shard.channelCount()).isZero();
        assertThat(shard.gatewayCount()).isZero();
        assertThat(sink.drain()).extracting(RecordingSink.Sent::templateId)
            .containsOnly(SubscribedDecoder.TEMPLATE_ID);
    }

    @Test
    void shouldKeepChannelWithHistoryWhenLastSubscriberLeaves()
    {
        driver.subscribe(1, 1, "c-1");
        driver.publish(1, 2, "c-1", bytes("kept"));

        driver.unsubscribe(1, "c-1");

        assertThat(shard.channelCount()).isEqualTo(1);
    }

    @Test
    void shouldGiveRecreatedChannelNewEpochAndRestartSeq()
    {
        driver.subscribe(1, 1, "c-1");
        final long firstEpoch = sink.drain().get(0).subscribed().epoch();
        driver.unsubscribe(1, "c-1");
        assertThat(shard.channelCount()).isZero();

        driver.subscribe(1, 2, "c-1");
        final RecordingSink.Subscribed again = sink.drain().get(0).subscribed();
        driver.publish(1, 3, "c-1", bytes("x"));
        final RecordingSink.Ack ack = sink.drain().stream()
            .filter(s -> s.templateId() == PublishAckDecoder.TEMPLATE_ID).findFirst().orElseThrow().ack();

        assertThat(again.epoch()).isNotEqualTo(firstEpoch);
        assertThat(again.seq()).isZero();
        assertThat(ack.seq()).isEqualTo(1);
        assertThat(ack.epoch()).isEqualTo(again.epoch());
    }

    @Test
    void shouldDropEverySubscriptionOfLostNode()
    {
        driver.subscribe(1, 1, "a");
        driver.subscribe(1, 2, "b");
        driver.subscribe(2, 3, "b");
        driver.publish(1, 4, "a", bytes("history keeps a"));
        sink.drain();

        driver.nodeLost(1);

        assertThat(shard.gatewayCount()).isEqualTo(1);
        assertThat(shard.channelCount()).isEqualTo(2);
        driver.publish(3, 5, "a", bytes("x"));
        driver.publish(3, 6, "b", bytes("y"));
        assertThat(events(sink.drain())).extracting(RecordingSink.Event::nodeId).containsExactly(2);

        driver.nodeLost(2);
        driver.nodeLost(2);
        assertThat(shard.gatewayCount()).isZero();
    }

    @Test
    void shouldRemoveChannelsLeftIdleByLostNode()
    {
        driver.subscribe(1, 1, "a");
        driver.subscribe(1, 2, "b");

        driver.nodeLost(1);

        assertThat(shard.channelCount()).isZero();
    }

    @Test
    void shouldReuseSlotOfLostNodeForNewGateway()
    {
        driver.subscribe(1, 1, "a");
        driver.nodeLost(1);
        driver.subscribe(2, 2, "a");
        sink.drain();

        driver.publish(3, 3, "a", bytes("x"));

        assertThat(events(sink.drain())).extracting(RecordingSink.Event::nodeId).containsExactly(2);
    }

    @Test
    void shouldServeMoreThan64Gateways()
    {
        final int gateways = 100;
        IntStream.rangeClosed(1, gateways).forEach(node -> driver.subscribe(node, node, "busy"));
        sink.drain();

        driver.publish(1, 1000, "busy", bytes("x"));
        assertThat(events(sink.drain())).extracting(RecordingSink.Event::nodeId)
            .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, gateways).boxed().toList());

        driver.unsubscribe(90, "busy");
        driver.nodeLost(95);
        driver.nodeLost(10);
        driver.publish(1, 1001, "busy", bytes("y"));

        assertThat(events(sink.drain())).extracting(RecordingSink.Event::nodeId)
            .containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(1, gateways).filter(n -> n != 90 && n != 95 && n != 10).boxed().toList());
        assertThat(shard.gatewayCount()).isEqualTo(gateways - 3);
    }

    @Test
    void shouldRemoveChannelWhenLastOverflowGatewayIsLost()
    {
        IntStream.rangeClosed(1, 70).forEach(node -> driver.subscribe(node, node, "filler-" + node));
        driver.subscribe(70, 99, "shared");
        driver.subscribe(1, 100, "shared");
        driver.unsubscribe(1, "shared");
        assertThat(shard.channelCount()).isEqualTo(71);

        driver.nodeLost(70);

        assertThat(shard.channelCount()).isEqualTo(69);
        assertThat(shard.gatewayCount()).isEqualTo(69);
    }

    @Test
    void shouldNeverMixChannelsWhoseKeysCollide()
    {
        final ShardDriver colliding = new ShardDriver(ShardDriver.context().keyHasher((buffer, offset, length) -> 42L));
        colliding.subscribe(1, 1, "alpha");
        colliding.subscribe(2, 2, "beta");
        colliding.subscribe(3, 3, "gamma");
        colliding.publish(9, 10, "alpha", bytes("a1"));
        colliding.publish(9, 11, "beta", bytes("b1"));
        colliding.publish(9, 12, "alpha", bytes("a2"));
        colliding.publish(9, 13, "gamma", bytes("g1"));

        final List<RecordingSink.Sent> sent = colliding.sink.drain();
        assertThat(events(sent)).extracting(e -> e.nodeId() + ":" + e.channel() + ":" + e.seq())
            .containsExactly("1:alpha:1", "2:beta:1", "1:alpha:2", "3:gamma:1");

        colliding.unsubscribe(2, "beta");
        colliding.history(9, 20, "beta", 0, 0, 10);
        colliding.history(9, 21, "alpha", 0, 0, 10);
        colliding.history(9, 22, "gamma", 0, 0, 10);
        final List<RecordingSink.History> histories = colliding.sink.drain().stream()
            .map(RecordingSink.Sent::history).toList();
        assertThat(histories.get(0).messages()).extracting(m -> new String(m.payload())).containsExactly("b1");
        assertThat(histories.get(1).messages()).extracting(m -> new String(m.payload())).containsExactly("a1", "a2");
        assertThat(histories.get(2).messages()).extracting(m -> new String(m.payload())).containsExactly("g1");
        assertThat(colliding.shard.channelCount()).isEqualTo(3);
    }

    @Test
    void shouldFindRemainingCollidingChannelsAfterRemovingOne()
    {
        final ShardDriver colliding = new ShardDriver(ShardDriver.context().keyHasher((buffer, offset, length) -> 7L));
        colliding.subscribe(1, 1, "alpha");
        colliding.subscribe(1, 2, "beta");
        colliding.subscribe(1, 3, "gamma");
        final long gammaEpoch = colliding.sink.drain().get(2).subscribed().epoch();

        colliding.unsubscribe(1, "alpha");
        colliding.subscribe(1, 4, "gamma");

        assertThat(colliding.shard.channelCount()).isEqualTo(2);
        assertThat(colliding.sink.drain().get(0).subscribed().epoch()).isEqualTo(gammaEpoch);
    }

    @Test
    void shouldCountSendFailuresByCode()
    {
        sink.failFor(2, OutboundSink.NOT_CONNECTED);
        sink.failFor(3, OutboundSink.BACK_PRESSURED);
        driver.subscribe(1, 1, "c-1");
        driver.subscribe(2, 2, "c-1");
        driver.subscribe(3, 3, "c-1");

        driver.publish(1, 4, "c-1", bytes("x"));

        assertThat(shard.deliveredCount()).isEqualTo(1);
        assertThat(shard.sendFailureCount(OutboundSink.NOT_CONNECTED)).isEqualTo(2);
        assertThat(shard.sendFailureCount(OutboundSink.BACK_PRESSURED)).isEqualTo(2);
        assertThat(shard.sendFailureCount(OutboundSink.TOO_LARGE)).isZero();
    }

    @Test
    void shouldRejectEmptyChannelName()
    {
        driver.subscribe(1, 5, "");
        driver.publish(1, 6, "", bytes("x"));

        assertThat(sink.drain()).extracting(s -> s.error().code() + ":" + s.error().correlationId())
            .containsExactly(ErrorCode.BAD_REQUEST + ":5", ErrorCode.BAD_REQUEST + ":6");
        assertThat(shard.channelCount()).isZero();
        assertThat(shard.publishedCount()).isZero();
    }

    @Test
    void shouldBatchReactionsPerWindowToSubscribedGateways()
    {
        driver.subscribe(1, 1, "c-1");
        driver.subscribe(2, 2, "c-1");
        sink.drain();

        driver.react(1, "c-1");
        driver.react(2, "c-1");
        driver.react(1, "nobody-here");
        assertThat(sink.drain()).isEmpty();
        assertThat(shard.ignoredCount()).isEqualTo(1);

        // Windows follow the shard's clock: poll the timer until the windows have closed, with a deadline. A stall
        // between the two reactions (a loaded machine) may split them over two windows: count over all batches.
        final java.util.Map<Integer, Long> perGateway = new java.util.HashMap<>();
        int batches = 0;
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while ((perGateway.getOrDefault(1, 0L) < 2 || perGateway.getOrDefault(2, 0L) < 2) &&
            System.nanoTime() < deadlineNs)
        {
            shard.onTimer(System.nanoTime());
            for (final RecordingSink.Sent batch : sink.drain())
            {
                batches++;
                assertThat(batch.templateId()).isEqualTo(ReactionBatchDecoder.TEMPLATE_ID);
                final ReactionBatchDecoder decoder = new ReactionBatchDecoder()
                    .wrapAndApplyHeader(batch.buffer(), 0, new io.switchboard.codecs.MessageHeaderDecoder());
                for (final ReactionBatchDecoder.CountsDecoder counts : decoder.counts())
                {
                    assertThat(counts.emoji()).isEqualTo("+1");
                    perGateway.merge(batch.nodeId(), counts.reactions(), Long::sum);
                }
                assertThat(decoder.channel()).isEqualTo("c-1");
                assertThat(decoder.target()).isEqualTo("t");
            }
            Thread.onSpinWait();
        }

        assertThat(perGateway).containsOnly(java.util.Map.entry(1, 2L), java.util.Map.entry(2, 2L));
        assertThat(shard.reactionBatchesDeliveredCount()).isEqualTo(batches);
        shard.onTimer(System.nanoTime());
        assertThat(sink.drain()).isEmpty();
    }


    private static List<RecordingSink.Event> events(final List<RecordingSink.Sent> sent)
    {
        return sent.stream()
            .filter(s -> s.templateId() == ChannelEventDecoder.TEMPLATE_ID)
            .map(RecordingSink.Sent::event)
            .toList();
    }
}
