package io.switchboard.engine.reaction;

import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;
import io.switchboard.engine.reaction.RecordedBatches.Batch;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Random reactions over names that concatenate alike ("a" + "bc" and "ab" + "c"), random flushes, then one final
 * flush: every batch must hold exactly the reactions of its key inside its window, and nothing may be lost.
 */
class ReactionBatcherPropertyTest
{
    private static final long MS = 1_000_000L;
    private static final long WINDOW_NS = 100 * MS;
    private static final String[] CHANNELS = { "a", "ab", "b" };
    private static final String[] TARGETS = { "b", "c", "bc" };
    private static final String[] EMOJI = { "+1", "tada", "heart", "+" };

    private record Reaction(String channel, String target, String emoji, long timeNs)
    {
    }

    @Test
    void shouldBatchExactlyTheReactionsOfEachWindow()
    {
        check(DefaultKeyHasher.INSTANCE);
    }

    @Test
    void shouldBatchExactlyTheReactionsOfEachWindowWhenEveryKeyCollides()
    {
        check((buffer, offset, length) -> 3L);
    }

    private static void check(final KeyHasher hasher)
    {
        qt().withExamples(300)
            .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 150))
            .checkAssert((ops) -> play(hasher, ops));
    }

    private static void play(final KeyHasher hasher, final List<Integer> ops)
    {
        final ReactionBatcher batcher = new ReactionBatcher(WINDOW_NS, 8, 2, hasher);
        final RecordedBatches recorded = new RecordedBatches();
        final List<Reaction> reactions = new ArrayList<>();
        long nowNs = 1_700_000_000_000_000_000L;

        for (final int op : ops)
        {
            nowNs += (op % 61) * MS;
            final Reaction reaction = new Reaction(
                CHANNELS[(op / 61) % 3], TARGETS[(op / 183) % 3], EMOJI[(op / 549) % 4], nowNs);
            reactions.add(reaction);
            assertThat(add(batcher, reaction)).isTrue();

            if ((op / 2196) % 3 == 0)
            {
                flush(batcher, recorded, nowNs);
            }
        }
        flush(batcher, recorded, nowNs + WINDOW_NS);

        assertThat(batcher.openWindows()).isZero();
        final Map<String, Long> emitted = new HashMap<>();
        for (final Batch batch : recorded.batches())
        {
            assertThat(batch.windowEndNs() - batch.windowStartNs()).isEqualTo(WINDOW_NS);
            assertThat(batch.counts()).isNotEmpty();

            final Map<String, Long> inWindow = new HashMap<>();
            boolean startsAtAReaction = false;
            for (final Reaction r : reactions)
            {
                if (r.channel().equals(batch.channel()) && r.target().equals(batch.target()) &&
                    r.timeNs() >= batch.windowStartNs() && r.timeNs() < batch.windowEndNs())
                {
                    inWindow.merge(r.emoji(), 1L, Long::sum);
                    startsAtAReaction |= r.timeNs() == batch.windowStartNs();
                }
            }
            assertThat(batch.counts()).as("batch %s", batch).isEqualTo(inWindow);
            assertThat(startsAtAReaction).isTrue();

            batch.counts().forEach((emoji, count) ->
                emitted.merge(batch.channel() + "|" + batch.target() + "|" + emoji, count, Long::sum));
        }

        final Map<String, Long> added = new HashMap<>();
        reactions.forEach((r) -> added.merge(r.channel() + "|" + r.target() + "|" + r.emoji(), 1L, Long::sum));
        assertThat(emitted).isEqualTo(added);
    }

    private static void flush(final ReactionBatcher batcher, final RecordedBatches recorded, final long nowNs)
    {
        final int before = recorded.batches().size();
        final int emitted = batcher.flushDue(nowNs, recorded);

        assertThat(recorded.batches().size() - before).isEqualTo(emitted);
        for (final Batch batch : recorded.batches().subList(before, recorded.batches().size()))
        {
            assertThat(batch.windowEndNs()).as("emitted before its end").isLessThanOrEqualTo(nowNs);
        }
    }

    private static boolean add(final ReactionBatcher batcher, final Reaction reaction)
    {
        final UnsafeBuffer channel = new UnsafeBuffer(reaction.channel().getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer target = new UnsafeBuffer(reaction.target().getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer emoji = new UnsafeBuffer(reaction.emoji().getBytes(StandardCharsets.UTF_8));
        return batcher.add(
            channel, 0, channel.capacity(),
            target, 0, target.capacity(),
            emoji, 0, emoji.capacity(),
            reaction.timeNs());
    }
}
