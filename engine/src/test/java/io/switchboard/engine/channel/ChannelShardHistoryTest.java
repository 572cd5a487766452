package io.switchboard.engine.channel;

import io.switchboard.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static io.switchboard.engine.channel.ShardDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelShardHistoryTest
{
    private static final int SMALL_LOG = 128 * 1024;

    @Test
    void shouldReturnMessagesAfterSinceOldestFirst()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context());
        publish(driver, "c-1", 5, 10);
        driver.publish(1, 99, 12345L, "c-1", "carol", "m-6", bytes("six"));
        driver.sink.drain();

        driver.history(2, 7, "c-1", 3, 0, 100);

        final RecordingSink.History history = driver.sink.drain().get(0).history();
        assertThat(history.nodeId()).isEqualTo(2);
        assertThat(history.correlationId()).isEqualTo(7);
        assertThat(history.channel()).isEqualTo("c-1");
        assertThat(history.lastSeq()).isEqualTo(6);
        assertThat(history.complete()).isTrue();
        assertThat(history.seqs()).containsExactly(4L, 5L, 6L);
        final RecordingSink.HistoryMessage last = history.messages().get(2);
        assertThat(last.timestampNs()).isEqualTo(12345L);
        assertThat(last.user()).isEqualTo("carol");
        assertThat(last.messageId()).isEqualTo("m-6");
        assertThat(last.payload()).isEqualTo(bytes("six"));
    }

    @Test
    void shouldAnswerCompleteAndEmptyWhenCaughtUp()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context());
        publish(driver, "c-1", 3, 10);
        final long epoch = epochOf(driver, "c-1");

        driver.history(2, 7, "c-1", 3, epoch, 100);

        final RecordingSink.History history = driver.sink.drain().get(0).history();
        assertThat(history.complete()).isTrue();
        assertThat(history.messages()).isEmpty();
        assertThat(history.epoch()).isEqualTo(epoch);
        assertThat(history.lastSeq()).isEqualTo(3);
    }

    @Test
    void shouldReportIncompleteWhenRangeWasEvicted()
    {
        final ShardDriver driver = new ShardDriver(
            ShardDriver.context().historyBytes(SMALL_LOG).maxResponseBytes(SMALL_LOG));
        publish(driver, "c-1", 40, 10_000);

        driver.history(2, 7, "c-1", 0, 0, 1000);

        final RecordingSink.History history = driver.sink.drain().get(0).history();
        assertThat(driver.shard.evictedCount()).isPositive();
        assertThat(history.complete()).isFalse();
        assertThat(history.lastSeq()).isEqualTo(40);
        final List<Long> seqs = history.seqs();
        assertThat(seqs.get(0)).isGreaterThan(1L);
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(seqs.get(0), 40).boxed().toList());
        assertThat(driver.shard.historyBytesHeld()).isLessThanOrEqualTo(SMALL_LOG);

        driver.history(2, 8, "c-1", seqs.get(0) - 1, 0, 1000);
        assertThat(driver.sink.drain().get(0).history().complete()).isTrue();
    }

    @Test
    void shouldReportIncompleteAndStartOverWhenEpochDiffers()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context());
        publish(driver, "c-1", 4, 10);
        final long epoch = epochOf(driver, "c-1");

        driver.history(2, 7, "c-1", 3, epoch + 1, 100);

        final RecordingSink.History history = driver.sink.drain().get(0).history();
        assertThat(history.complete()).isFalse();
        assertThat(history.epoch()).isEqualTo(epoch);
        assertThat(history.seqs()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldAnswerUnknownChannelWithoutCreatingIt()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context());

        driver.history(2, 7, "ghost", 0, 0, 100);
        driver.history(2, 8, "ghost", 5, 0, 100);
        driver.history(2, 9, "ghost", 0, 1234, 100);

        final List<RecordingSink.History> answers = driver.sink.drain().stream()
            .map(RecordingSink.Sent::history).toList();
        assertThat(answers).extracting(RecordingSink.History::complete).containsExactly(true, false, false);
        assertThat(answers).allSatisfy(answer ->
        {
            assertThat(answer.epoch()).isZero();
            assertThat(answer.lastSeq()).isZero();
            assertThat(answer.messages()).isEmpty();
            assertThat(answer.channel()).isEqualTo("ghost");
        });
        assertThat(driver.shard.channelCount()).isZero();
    }

    @Test
    void shouldPageThroughHistory()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context());
        publish(driver, "c-1", 25, 10);

        driver.history(2, 1, "c-1", 0, 0, 10);
        final RecordingSink.History first = driver.sink.drain().get(0).history();
        driver.history(2, 2, "c-1", first.seqs().get(first.seqs().size() - 1), first.epoch(), 10);
        final RecordingSink.History second = driver.sink.drain().get(0).history();
        driver.history(2, 3, "c-1", 20, first.epoch(), 10);
        final RecordingSink.History third = driver.sink.drain().get(0).history();

        assertThat(first.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(second.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(11, 20).boxed().toList());
        assertThat(third.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(21, 25).boxed().toList());
        assertThat(List.of(first, second, third)).allSatisfy(page ->
        {
            assertThat(page.complete()).isTrue();
            assertThat(page.lastSeq()).isEqualTo(25);
        });
    }

    @Test
    void shouldClampMaxMessagesToConfiguredMaximum()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context().maxHistoryMessages(5));
        publish(driver, "c-1", 12, 10);

        driver.history(2, 1, "c-1", 0, 0, 1000);

        assertThat(driver.sink.drain().get(0).history().seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldRejectNonPositiveMaxMessages()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context());
        publish(driver, "c-1", 1, 10);

        driver.history(2, 33, "c-1", 0, 0, 0);

        final RecordingSink.Error error = driver.sink.drain().get(0).error();
        assertThat(error.nodeId()).isEqualTo(2);
        assertThat(error.correlationId()).isEqualTo(33);
        assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(error.channel()).isEqualTo("c-1");
        assertThat(error.message()).contains("maxMessages");
    }

    @Test
    void shouldBoundResponseSize()
    {
        final int maxResponseBytes = 4096;
        final ShardDriver driver = new ShardDriver(ShardDriver.context().maxResponseBytes(maxResponseBytes));
        publish(driver, "c-1", 10, 1000);

        driver.history(2, 1, "c-1", 0, 0, 100);

        final RecordingSink.History history = driver.sink.drain().get(0).history();
        assertThat(history.seqs()).containsExactly(1L, 2L, 3L);
        assertThat(history.encodedLength()).isLessThanOrEqualTo(maxResponseBytes);
        assertThat(history.complete()).isTrue();
        assertThat(history.lastSeq()).isEqualTo(10);
    }

    @Test
    void shouldSendSingleMessageLargerThanResponseBound()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context().maxResponseBytes(1024));
        publish(driver, "c-1", 3, 5000);

        driver.history(2, 1, "c-1", 1, 0, 100);

        final RecordingSink.History history = driver.sink.drain().get(0).history();
        assertThat(history.seqs()).containsExactly(2L);
        assertThat(history.messages().get(0).payload()).hasSize(5000);
    }

    @Test
    void shouldRemoveChannelWithoutSubscribersWhenItsHistoryIsEvicted()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context().historyBytes(SMALL_LOG));
        driver.subscribe(1, 1, "kept");
        publish(driver, "orphan", 1, 10);
        final long orphanEpoch = epochOf(driver, "orphan");
        assertThat(driver.shard.channelCount()).isEqualTo(2);

        publish(driver, "kept", 20, 10_000);

        assertThat(driver.shard.channelCount()).isEqualTo(1);
        driver.history(2, 5, "orphan", 1, orphanEpoch, 10);
        assertThat(driver.sink.drain().get(0).history().complete()).isFalse();

        driver.publish(9, 100, "orphan", new byte[10]);
        final RecordingSink.Ack ack = driver.sink.drain().get(0).ack();
        assertThat(ack.seq()).isEqualTo(1);
        assertThat(ack.epoch()).isNotEqualTo(orphanEpoch);
    }

    @Test
    void shouldKeepSubscribedChannelWhenItsHistoryIsEvicted()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context().historyBytes(SMALL_LOG));
        driver.subscribe(1, 1, "watched");
        publish(driver, "watched", 2, 10);
        publish(driver, "noisy", 20, 10_000);
        driver.sink.drain();

        driver.history(1, 2, "watched", 0, 0, 10);
        final RecordingSink.History history = driver.sink.drain().get(0).history();

        assertThat(history.complete()).isFalse();
        assertThat(history.lastSeq()).isEqualTo(2);
        assertThat(history.messages()).isEmpty();
        driver.publish(9, 100, "watched", new byte[10]);
        assertThat(driver.sink.drain()).filteredOn(s -> s.nodeId() == 9).extracting(s -> s.ack().seq())
            .containsExactly(3L);
    }

    @Test
    void shouldKeepChannelBeingPublishedWhenItsOwnOldestEntryIsEvicted()
    {
        final ShardDriver driver = new ShardDriver(ShardDriver.context().historyBytes(SMALL_LOG));
        publish(driver, "solo", 30, 60_000);

        assertThat(driver.shard.channelCount()).isEqualTo(1);
        driver.history(2, 1, "solo", 0, 0, 100);
        final RecordingSink.History history = driver.sink.drain().get(0).history();
        assertThat(history.lastSeq()).isEqualTo(30);
        assertThat(history.seqs()).endsWith(30L);
    }

    private static void publish(final ShardDriver driver, final String channel, final int count, final int size)
    {
        for (int i = 0; i < count; i++)
        {
            driver.publish(9, i + 1, channel, new byte[size]);
        }
        driver.sink.drain();
    }

    private static long epochOf(final ShardDriver driver, final String channel)
    {
        driver.sink.drain();
        driver.history(0, 0, channel, 0, 0, 1);
        return driver.sink.drain().get(0).history().epoch();
    }
}
