package io.switchboard.engine.partition;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

class PartitionerTest
{
    @Test
    void shouldDefaultTo4096Partitions()
    {
        assertThat(new Partitioner().partitionCount()).isEqualTo(4096);
        assertThat(new Partitioner().hasher()).isSameAs(DefaultKeyHasher.INSTANCE);
    }

    @Test
    void shouldRejectNonPositiveCount()
    {
        assertThatThrownBy(() -> new Partitioner(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Partitioner(-5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepEveryKeyInRangeForAnyPositiveCount()
    {
        qt().forAll(integers().between(1, Integer.MAX_VALUE), longs().all())
            .checkAssert((count, key) -> assertThat(new Partitioner(count).partitionOf(key)).isBetween(0, count - 1));
    }

    @Test
    void shouldMapTheExtremeKeysIntoRange()
    {
        final Partitioner partitioner = new Partitioner(7);

        assertThat(partitioner.partitionOf(0L)).isEqualTo(0);
        assertThat(partitioner.partitionOf(-1L)).isEqualTo(6);
        assertThat(partitioner.partitionOf(Long.MIN_VALUE)).isEqualTo(0);
        assertThat(new Partitioner(1).partitionOf(-1L)).isEqualTo(0);
    }

    @Test
    void shouldGiveTheSamePartitionForTheSameNameWhereverItSits()
    {
        qt().forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 100), integers().between(0, 16))
            .checkAssert((name, padding) ->
            {
                final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                final UnsafeBuffer shifted = new UnsafeBuffer(new byte[bytes.length + padding]);
                shifted.putBytes(padding, bytes);
                final Partitioner partitioner = new Partitioner();

                final int partition = partitioner.partitionOf(new UnsafeBuffer(bytes), 0, bytes.length);

                assertThat(partitioner.partitionOf(shifted, padding, bytes.length)).isEqualTo(partition);
                assertThat(partitioner.partitionOf(partitioner.keyOf(shifted, padding, bytes.length)))
                    .isEqualTo(partition);
            });
    }

    @Test
    void shouldSpreadNamesOverAllPartitions()
    {
        final Partitioner partitioner = new Partitioner();
        final int[] counts = new int[partitioner.partitionCount()];
        final int namesPerPartition = 100;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);

        for (int i = 0; i < partitioner.partitionCount() * namesPerPartition; i++)
        {
            final int length = buffer.putStringWithoutLengthAscii(0, "user-" + i);
            counts[partitioner.partitionOf(buffer, 0, length)]++;
        }

        // Fixed names, so this is deterministic; the bounds sit ~5 standard deviations from the mean of 100.
        for (final int count : counts)
        {
            assertThat(count).isBetween(namesPerPartition / 2, namesPerPartition * 3 / 2);
        }
    }

    @Test
    void shouldUseTheGivenHasher()
    {
        final Partitioner partitioner = new Partitioner(16, (buffer, offset, length) -> 0xABCD_0000_0000_0000L);
        final UnsafeBuffer a = new UnsafeBuffer("a".getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer b = new UnsafeBuffer("b".getBytes(StandardCharsets.UTF_8));

        assertThat(partitioner.partitionOf(a, 0, 1)).isEqualTo(partitioner.partitionOf(b, 0, 1)).isEqualTo(0);
    }
}
