package io.switchboard.engine.reaction;

import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.reaction.RecordedBatches.Batch;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReactionBatcherTest
{
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000_000_000L;

    private final RecordedBatches recorded = new RecordedBatches();
    private ReactionBatcher batcher = new ReactionBatcher();

    @Test
    void shouldCountPerEmojiAndEmitOnceTheWindowEnds()
    {
        add("general", "m1", "+1", T0);
        add("general", "m1", "tada", T0 + 10 * MS);
        add("general", "m1", "+1", T0 + 20 * MS);
        add("general", "m2", "+1", T0 + 30 * MS);

        assertThat(batcher.flushDue(T0 + 99 * MS, recorded)).isZero();
        assertThat(batcher.flushDue(T0 + 100 * MS, recorded)).isEqualTo(1);
        assertThat(recorded.batches()).containsExactly(
            new Batch("general", "m1", T0, T0 + 100 * MS, Map.of("+1", 2L, "tada", 1L)));

        recorded.clear();
        assertThat(batcher.flushDue(T0 + 130 * MS, recorded)).isEqualTo(1);
        assertThat(recorded.batches()).containsExactly(
            new Batch("general", "m2", T0 + 30 * MS, T0 + 130 * MS, Map.of("+1", 1L)));
        assertThat(batcher.batchesEmitted()).isEqualTo(2);
        assertThat(batcher.reactionsAdded()).isEqualTo(4);
    }

    @Test
    void shouldEmitNothingForAWindowWithoutReactions()
    {
        assertThat(batcher.flushDue(T0, recorded)).isZero();

        add("general", "m1", "+1", T0);
        batcher.flushDue(T0 + 100 * MS, recorded);
        recorded.clear();

        assertThat(batcher.flushDue(T0 + 1000 * MS, recorded)).isZero();
        assertThat(recorded.batches()).isEmpty();
        assertThat(batcher.openWindows()).isZero();
    }

    @Test
    void shouldOpenTheNextWindowAtTheFirstReactionAfterOneEnded()
    {
        add("general", "m1", "+1", T0);
        batcher.flushDue(T0 + 150 * MS, recorded);

        add("general", "m1", "+1", T0 + 170 * MS);
        batcher.flushDue(T0 + 270 * MS, recorded);

        assertThat(recorded.batches()).extracting(Batch::windowStartNs).containsExactly(T0, T0 + 170 * MS);
    }

    @Test
    void shouldPutAReactionAfterTheEndIntoTheNextWindowEvenBeforeAFlush()
    {
        add("general", "m1", "+1", T0);
        add("general", "m1", "+1", T0 + 100 * MS);
        add("general", "m1", "heart", T0 + 150 * MS);

        assertThat(batcher.openWindows()).isEqualTo(2);
        assertThat(batcher.flushDue(T0 + 150 * MS, recorded)).isEqualTo(1);
        assertThat(batcher.flushDue(T0 + 200 * MS, recorded)).isEqualTo(1);
        assertThat(recorded.batches()).containsExactly(
            new Batch("general", "m1", T0, T0 + 100 * MS, Map.of("+1", 1L)),
            new Batch("general", "m1", T0 + 100 * MS, T0 + 200 * MS, Map.of("+1", 1L, "heart", 1L)));
    }

    @Test
    void shouldKeepChannelAndTargetBoundariesApart()
    {
        add("ab", "c", "+1", T0);
        add("a", "bc", "+1", T0);

        batcher.flushDue(T0 + 100 * MS, recorded);

        assertThat(recorded.batches()).containsExactlyInAnyOrder(
            new Batch("ab", "c", T0, T0 + 100 * MS, Map.of("+1", 1L)),
            new Batch("a", "bc", T0, T0 + 100 * MS, Map.of("+1", 1L)));
    }

    @Test
    void shouldKeepKeysApartWhenEveryHashCollides()
    {
        batcher = new ReactionBatcher(100 * MS, 8, 4, (buffer, offset, length) -> 0L);
        add("general", "m1", "+1", T0);
        add("random", "m1", "+1", T0 + MS);
        add("general", "m2", "+1", T0 + 2 * MS);
        add("random", "m1", "+1", T0 + 3 * MS);
        add("general", "m1", "smile", T0 + 4 * MS);

        batcher.flushDue(T0 + 101 * MS, recorded);
        add("random", "m1", "+1", T0 + 110 * MS);
        batcher.flushDue(T0 + 300 * MS, recorded);

        assertThat(recorded.batches()).containsExactly(
            new Batch("general", "m1", T0, T0 + 100 * MS, Map.of("+1", 1L, "smile", 1L)),
            new Batch("random", "m1", T0 + MS, T0 + 101 * MS, Map.of("+1", 2L)),
            new Batch("general", "m2", T0 + 2 * MS, T0 + 102 * MS, Map.of("+1", 1L)),
            new Batch("random", "m1", T0 + 110 * MS, T0 + 210 * MS, Map.of("+1", 1L)));
    }

    @Test
    void shouldDropAndCountEmojiBeyondTheLimitPerWindow()
    {
        batcher = new ReactionBatcher(100 * MS, 2, 4, DefaultKeyHasher.INSTANCE);

        assertThat(add("general", "m1", "a", T0)).isTrue();
        assertThat(add("general", "m1", "b", T0)).isTrue();
        assertThat(add("general", "m1", "c", T0)).isFalse();
        assertThat(add("general", "m1", "a", T0)).isTrue();
        batcher.flushDue(T0 + 100 * MS, recorded);

        assertThat(recorded.batches()).containsExactly(
            new Batch("general", "m1", T0, T0 + 100 * MS, Map.of("a", 2L, "b", 1L)));
        assertThat(batcher.reactionsDropped()).isEqualTo(1);
    }

    @Test
    void shouldEncodeTheLongestNamesAndMostEmoji()
    {
        batcher = new ReactionBatcher(100 * MS, 64, 4, DefaultKeyHasher.INSTANCE);
        final String channel = "c".repeat(1024);
        final String target = "t".repeat(1024);
        for (int i = 0; i < 64; i++)
        {
            add(channel, target, String.format("%04d", i).repeat(256), T0);
        }

        batcher.flushDue(T0 + 100 * MS, recorded);

        assertThat(recorded.batches()).hasSize(1);
        assertThat(recorded.batches().get(0).counts()).hasSize(64);
        assertThat(recorded.batches().get(0).channel()).isEqualTo(channel);
    }

    @Test
    void shouldUseTheConfiguredWindow()
    {
        batcher = new ReactionBatcher(5 * MS, 8, 4, DefaultKeyHasher.INSTANCE);
        add("general", "m1", "+1", T0);

        assertThat(batcher.flushDue(T0 + 4 * MS, recorded)).isZero();
        assertThat(batcher.flushDue(T0 + 5 * MS, recorded)).isEqualTo(1);
        assertThat(new ReactionBatcher().windowNs()).isEqualTo(100 * MS);
    }

    @Test
    void shouldRejectBadSettings()
    {
        assertThatThrownBy(() -> new ReactionBatcher(0, 8, 4, (b, o, l) -> 0L))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReactionBatcher(MS, 0, 4, (b, o, l) -> 0L))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadNamesAtAnyOffset()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int channelLength = buffer.putStringWithoutLengthUtf8(3, "général");
        final int targetLength = buffer.putStringWithoutLengthUtf8(20, "m1");
        final int emojiLength = buffer.putStringWithoutLengthUtf8(30, "👍");

        batcher.add(buffer, 3, channelLength, buffer, 20, targetLength, buffer, 30, emojiLength, T0);
        batcher.flushDue(T0 + 100 * MS, recorded);

        assertThat(recorded.batches()).containsExactly(
            new Batch("général", "m1", T0, T0 + 100 * MS, Map.of("👍", 1L)));
    }

    private boolean add(final String channel, final String target, final String emoji, final long nowNs)
    {
        final UnsafeBuffer c = new UnsafeBuffer(channel.getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer t = new UnsafeBuffer(target.getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer e = new UnsafeBuffer(emoji.getBytes(StandardCharsets.UTF_8));
        return batcher.add(c, 0, c.capacity(), t, 0, t.capacity(), e, 0, e.capacity(), nowNs);
    }
}
