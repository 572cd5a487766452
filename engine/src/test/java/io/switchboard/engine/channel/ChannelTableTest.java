package io.switchboard.engine.channel;

import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelTableTest
{
    private static final long EPOCH_BASE = 1L << 40;

    private final UnsafeBuffer name = new UnsafeBuffer(new byte[NameArena.MAX_NAME_LENGTH]);
    private int nameLength;

    @Test
    void shouldFindChannelsAcrossIndexGrowthAndPages()
    {
        final ChannelTable table = new ChannelTable(DefaultKeyHasher.INSTANCE, EPOCH_BASE);
        final int count = 3 * ChannelTable.PAGE_SIZE + 17;
        for (int i = 0; i < count; i++)
        {
            assertThat(add(table, DefaultKeyHasher.INSTANCE, "c-" + i)).isEqualTo(i);
        }

        assertThat(table.count()).isEqualTo(count);
        for (int i = 0; i < count; i++)
        {
            assertThat(find(table, DefaultKeyHasher.INSTANCE, "c-" + i)).isEqualTo(i);
            assertThat(nameOf(table, i)).isEqualTo("c-" + i);
        }
        assertThat(find(table, DefaultKeyHasher.INSTANCE, "c-" + count)).isEqualTo(ChannelTable.NO_CHANNEL);
    }

    @Test
    void shouldStartChannelsWithNoSeqNoHistoryAndDistinctEpochs()
    {
        final ChannelTable table = new ChannelTable(DefaultKeyHasher.INSTANCE, EPOCH_BASE);
        final int a = add(table, DefaultKeyHasher.INSTANCE, "a");
        table.nextSeq(a);
        table.newestEntry(a, 8);
        table.subscriberMask(a, 1);
        final long firstEpoch = table.epoch(a);
        table.remove(a);

        final int again = add(table, DefaultKeyHasher.INSTANCE, "a");

        assertThat(again).isEqualTo(a);
        assertThat(table.lastSeq(again)).isZero();
        assertThat(table.newestEntry(again)).isEqualTo(ChannelTable.NO_ENTRY);
        assertThat(table.subscriberMask(again)).isZero();
        assertThat(table.epoch(again)).isGreaterThan(firstEpoch).isGreaterThan(EPOCH_BASE);
    }

    @Test
    void shouldKeepFindingCollidingChannelsAsOthersAreRemoved()
    {
        final KeyHasher constant = (buffer, offset, length) -> 0xDEAD_BEEF_0000_0001L;
        final ChannelTable table = new ChannelTable(constant, EPOCH_BASE);
        for (int i = 0; i < 300; i++)
        {
            add(table, constant, "n" + i);
        }

        for (int i = 0; i < 300; i += 3)
        {
            table.remove(find(table, constant, "n" + i));
        }

        for (int i = 0; i < 300; i++)
        {
            final int channel = find(table, constant, "n" + i);
            if (i % 3 == 0)
            {
                assertThat(channel).isEqualTo(ChannelTable.NO_CHANNEL);
            }
            else
            {
                assertThat(nameOf(table, channel)).isEqualTo("n" + i);
            }
        }
        assertThat(table.count()).isEqualTo(200);
    }

    @Test
    void shouldReclaimNameBytesAfterChurnAndKeepSurvivorsFindable()
    {
        final ChannelTable table = new ChannelTable(DefaultKeyHasher.INSTANCE, EPOCH_BASE);
        final int count = 200_000;
        for (int i = 0; i < count; i++)
        {
            add(table, DefaultKeyHasher.INSTANCE, churnName(i));
        }
        final int pagesBefore = table.names().pageCount();

        final Set<Integer> survivors = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            if (i % 5 == 0)
            {
                survivors.add(i);
            }
            else
            {
                table.remove(find(table, DefaultKeyHasher.INSTANCE, churnName(i)));
            }
        }

        assertThat(table.names().pageCount()).isLessThan(pagesBefore / 2);
        assertThat(table.names().deadBytes()).isLessThanOrEqualTo(table.names().liveBytes() + NameArena.PAGE_SIZE);
        for (int i = 0; i < count; i++)
        {
            final int channel = find(table, DefaultKeyHasher.INSTANCE, churnName(i));
            if (survivors.contains(i))
            {
                assertThat(nameOf(table, channel)).isEqualTo(churnName(i));
            }
            else
            {
                assertThat(channel).isEqualTo(ChannelTable.NO_CHANNEL);
            }
        }

        for (int i = 0; i < 1000; i++)
        {
            final int channel = add(table, DefaultKeyHasher.INSTANCE, "fresh-" + i);
            assertThat(nameOf(table, channel)).isEqualTo("fresh-" + i);
        }
    }

    @Test
    void shouldStoreLongestNames()
    {
        final ChannelTable table = new ChannelTable(DefaultKeyHasher.INSTANCE, EPOCH_BASE);
        for (int i = 0; i < 200; i++)
        {
            add(table, DefaultKeyHasher.INSTANCE, ("%0" + NameArena.MAX_NAME_LENGTH + "d").formatted(i));
        }

        for (int i = 0; i < 200; i++)
        {
            final String longName = ("%0" + NameArena.MAX_NAME_LENGTH + "d").formatted(i);
            assertThat(nameOf(table, find(table, DefaultKeyHasher.INSTANCE, longName))).isEqualTo(longName);
        }
    }

    private static String churnName(final int i)
    {
        return i % 7 == 0 ? "long-".repeat(20) + i : "channel-name-" + i;
    }

    private int add(final ChannelTable table, final KeyHasher hasher, final String value)
    {
        put(value);
        return table.add(name, 0, nameLength, hasher.hash(name, 0, nameLength));
    }

    private int find(final ChannelTable table, final KeyHasher hasher, final String value)
    {
        put(value);
        return table.find(name, 0, nameLength, hasher.hash(name, 0, nameLength));
    }

    private void put(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        name.putBytes(0, bytes);
        nameLength = bytes.length;
    }

    private static String nameOf(final ChannelTable table, final int channel)
    {
        return table.nameBuffer(channel)
            .getStringWithoutLengthUtf8(table.nameOffset(channel), table.nameLength(channel));
    }
}
