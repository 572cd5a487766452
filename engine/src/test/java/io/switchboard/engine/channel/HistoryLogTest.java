package io.switchboard.engine.channel;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryLogTest
{
    private static final int CAPACITY = 128 * 1024;

    private final List<long[]> evicted = new ArrayList<>();
    private final HistoryLog log = new HistoryLog(CAPACITY, (channel, position) -> evicted.add(
        new long[]{ channel, position }));

    @Test
    void shouldRejectCapacityThatIsNotAPowerOfTwoOrTooSmall()
    {
        assertThatThrownBy(() -> new HistoryLog(CAPACITY + 8, (c, p) -> {}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistoryLog(64 * 1024, (c, p) -> {}))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadBackEntryAndLinkToPreviousOfSameChannel()
    {
        final long first = append(3, HistoryLog.NO_POSITION, 1, "alice", "m1", 5);
        final long second = append(3, first, 2, "bob", "m-two", 0);

        assertThat(log.previousPosition(second)).isEqualTo(first);
        assertThat(log.previousPosition(first)).isEqualTo(HistoryLog.NO_POSITION);
        assertThat(log.seq(second)).isEqualTo(2);
        assertThat(log.timestampNs(second)).isEqualTo(2000);
        assertThat(text(log.userOffset(second), log.userLength(second))).isEqualTo("bob");
        assertThat(text(log.messageIdOffset(second), log.messageIdLength(second))).isEqualTo("m-two");
        assertThat(log.payloadLength(second)).isZero();
        assertThat(log.payloadLength(first)).isEqualTo(5);
        assertThat(log.buffer().getByte(log.payloadOffset(first) + 4)).isEqualTo((byte)4);
    }

    @Test
    void shouldPadToTheEndRatherThanWrapAnEntry()
    {
        final int payload = 30_000;
        final List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            positions.add(append(i, HistoryLog.NO_POSITION, i + 1, "u", "m", payload));
        }

        final int length = HistoryLog.entryLength(1, 1, payload);
        for (final long position : positions)
        {
            assertThat((position % CAPACITY) + length).isLessThanOrEqualTo(CAPACITY);
        }
        final long last = positions.get(positions.size() - 1);
        assertThat(log.seq(last)).isEqualTo(12);
        assertThat(log.payloadLength(last)).isEqualTo(payload);
    }

    @Test
    void shouldEvictOldestEntriesAndNeverHoldMoreThanCapacity()
    {
        final List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            positions.add(append(i % 4, HistoryLog.NO_POSITION, i + 1, "user", "id", 1000 + 37 * i));
            assertThat(log.headPosition() - log.tailPosition()).isLessThanOrEqualTo(CAPACITY);
        }

        assertThat(evicted).isNotEmpty();
        assertThat(log.evictedEntries()).isEqualTo(evicted.size());
        for (int i = 0; i < evicted.size(); i++)
        {
            assertThat(evicted.get(i)[0]).isEqualTo(i % 4);
            assertThat(evicted.get(i)[1]).isEqualTo(positions.get(i));
            assertThat(log.isRetained(positions.get(i))).isFalse();
        }
        assertThat(log.isRetained(positions.get(evicted.size()))).isTrue();
        assertThat(log.isRetained(HistoryLog.NO_POSITION)).isFalse();
    }

    @Test
    void shouldResolveEntryRefsOfRetainedEntriesAcrossWraps()
    {
        for (int i = 0; i < 80; i++)
        {
            final long position = append(1, HistoryLog.NO_POSITION, i + 1, "u", "m", 7_000 + 11 * i);

            assertThat(log.position(log.entryRef(position))).isEqualTo(position);
        }

        assertThat(log.headPosition()).isGreaterThan(3L * CAPACITY);
        for (long position = log.tailPosition(); position < log.headPosition(); position += 8)
        {
            assertThat(log.position(log.entryRef(position))).isEqualTo(position);
        }
    }

    private long append(
        final int channel, final long previous, final long seq, final String user, final String messageId,
        final int payloadLength)
    {
        final byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payloadLength; i++)
        {
            payload[i] = (byte)i;
        }

        return log.append(channel, previous, seq, seq * 1000, new UnsafeBuffer(user.getBytes()),
            new UnsafeBuffer(messageId.getBytes()), new UnsafeBuffer(payload));
    }

    private String text(final int offset, final int length)
    {
        return log.buffer().getStringWithoutLengthUtf8(offset, length);
    }
}
