package io.switchboard.engine.partition;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class PlacementTest
{
    private static final int PARTITIONS = 4096;

    @Test
    void shouldBalanceWithinTenPercentOfTheMean()
    {
        qt().withExamples(200).forAll(integers().between(3, 50), longs().all())
            .checkAssert((hostCount, seed) ->
            {
                final Placement placement = Placement.of(PARTITIONS, hostIds(hostCount, new Random(seed)));
                final double mean = (double)PARTITIONS / hostCount;

                for (int h = 0; h < hostCount; h++)
                {
                    assertThat((double)placement.loadOf(h)).isBetween(mean * 0.9, mean * 1.1);
                }
            });
    }

    @Test
    void shouldGiveEveryHostTheFloorOrCeilingOfTheMean()
    {
        qt().withExamples(100).forAll(integers().between(1, 80), integers().between(1, 5000), longs().all())
            .checkAssert((hostCount, partitionCount, seed) ->
            {
                final Placement placement = Placement.of(partitionCount, hostIds(hostCount, new Random(seed)));
                final int floor = partitionCount / hostCount;
                int total = 0;

                for (int h = 0; h < hostCount; h++)
                {
                    assertThat(placement.loadOf(h)).isBetween(floor, floor + 1);
                    total += placement.loadOf(h);
                }
                assertThat(total).isEqualTo(partitionCount);
            });
    }

    @Test
    void shouldMoveLittleMoreThanTheFairShareWhenOneHostJoinsOrLeaves()
    {
        qt().withExamples(200).forAll(integers().between(3, 50), longs().all(), booleans().all())
            .checkAssert((hostCount, seed, joins) ->
            {
                final Random random = new Random(seed);
                final List<String> before = hostIds(hostCount, random);
                final List<String> after = new ArrayList<>(before);
                if (joins)
                {
                    after.add(newHostId(before, random));
                }
                else
                {
                    after.remove(random.nextInt(after.size()));
                }

                final double moved = movedFraction(Placement.of(PARTITIONS, before), Placement.of(PARTITIONS, after));
                final int largerCount = Math.max(before.size(), after.size());

                assertThat(moved).isLessThanOrEqualTo(1.0 / largerCount + 0.05);
            });
    }

    @Test
    void shouldStayBalancedAndStableWhenOnlyOnePartitionIsLeftOver()
    {
        // 4096 mod 45 == 1: one host takes 92, the rest 91; capacity ceil(P/N) for all could leave one host at 48.
        final Random random = new Random(45);
        final List<String> ids = hostIds(45, random);
        final Placement placement = Placement.of(PARTITIONS, ids);

        int hostsWithExtra = 0;
        for (int h = 0; h < 45; h++)
        {
            assertThat(placement.loadOf(h)).isBetween(91, 92);
            hostsWithExtra += placement.loadOf(h) == 92 ? 1 : 0;
        }
        assertThat(hostsWithExtra).isEqualTo(1);

        final List<String> grown = new ArrayList<>(ids);
        grown.add(newHostId(ids, random));
        final List<String> shrunk = new ArrayList<>(ids.subList(1, ids.size()));

        assertThat(movedFraction(placement, Placement.of(PARTITIONS, grown))).isLessThanOrEqualTo(1.0 / 46 + 0.05);
        assertThat(movedFraction(placement, Placement.of(PARTITIONS, shrunk))).isLessThanOrEqualTo(1.0 / 45 + 0.05);
    }

    @Test
    void shouldNotDependOnTheOrderOrRepetitionOfIds()
    {
        qt().withExamples(50).forAll(integers().between(1, 50), longs().all())
            .checkAssert((hostCount, seed) ->
            {
                final Random random = new Random(seed);
                final List<String> ids = hostIds(hostCount, random);
                final List<String> shuffled = new ArrayList<>(ids);
                shuffled.addAll(ids.subList(0, ids.size() / 2));
                Collections.shuffle(shuffled, random);

                final Placement a = Placement.of(PARTITIONS, ids);
                final Placement b = Placement.of(PARTITIONS, shuffled);

                assertThat(b.hostIds()).isEqualTo(a.hostIds());
                for (int p = 0; p < PARTITIONS; p++)
                {
                    assertThat(b.ownerIdOf(p)).isEqualTo(a.ownerIdOf(p));
                }
            });
    }

    @Test
    void shouldMoveOnlyWhatASecondHostTakes()
    {
        final Placement one = Placement.of(PARTITIONS, List.of("presence-1"));
        final Placement two = Placement.of(PARTITIONS, List.of("presence-1", "presence-2"));

        assertThat(one.loadOf(0)).isEqualTo(PARTITIONS);
        assertThat(two.loadOf(0)).isEqualTo(PARTITIONS / 2);
        assertThat(two.loadOf(1)).isEqualTo(PARTITIONS / 2);
        assertThat(movedFraction(one, two)).isEqualTo(0.5);
    }

    @Test
    void shouldHandleMoreHostsThanPartitions()
    {
        final Placement placement = Placement.of(3, hostIds(10, new Random(7)));
        final Set<Integer> owners = new TreeSet<>();

        for (int p = 0; p < 3; p++)
        {
            owners.add(placement.ownerOf(p));
        }

        assertThat(owners).hasSize(3);
    }

    @Test
    void shouldAnswerLookupsConsistently()
    {
        final Placement placement = Placement.of(PARTITIONS, List.of("channel-2", "channel-1", "channel-3"));

        assertThat(placement.partitionCount()).isEqualTo(PARTITIONS);
        assertThat(placement.hostCount()).isEqualTo(3);
        assertThat(placement.hostIds()).containsExactly("channel-1", "channel-2", "channel-3");
        assertThat(placement.indexOf("channel-3")).isEqualTo(2);
        assertThat(placement.indexOf("channel-9")).isEqualTo(-1);
        assertThat(placement.hostId(1)).isEqualTo("channel-2");
        for (int p = 0; p < PARTITIONS; p++)
        {
            assertThat(placement.ownerIdOf(p)).isEqualTo(placement.hostId(placement.ownerOf(p)));
        }
    }

    @Test
    void shouldRejectAnEmptySetOrABadCount()
    {
        assertThatThrownBy(() -> Placement.of(PARTITIONS, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Placement.of(0, List.of("a"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> hostIds(final int count, final Random random)
    {
        final Set<String> ids = new TreeSet<>();
        while (ids.size() < count)
        {
            ids.add("channel-" + random.nextInt(1_000_000));
        }

        return new ArrayList<>(ids);
    }

    private static String newHostId(final List<String> existing, final Random random)
    {
        String id;
        do
        {
            id = "channel-" + random.nextInt(1_000_000);
        }
        while (existing.contains(id));

        return id;
    }

    private static double movedFraction(final Placement before, final Placement after)
    {
        int moved = 0;
        for (int p = 0; p < before.partitionCount(); p++)
        {
            if (!before.ownerIdOf(p).equals(after.ownerIdOf(p)))
            {
                moved++;
            }
        }

        return (double)moved / before.partitionCount();
    }
}
