package io.switchboard.bench;

import io.switchboard.engine.partition.Partitioner;
import io.switchboard.engine.partition.Placement;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Routing a name: hash, partition, then owning host from the placement table; and building that table, as every
 * node does on a membership change. Names cycle through a set larger than a branch predictor remembers, so the
 * hash is not learned.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PartitionBenchmark
{
    private static final int NAME_COUNT = 4096;
    private static final int NAME_STRIDE = 64;

    /**
     * The hosts of one role.
     */
    @State(Scope.Thread)
    public static class Hosts
    {
        /**
         * Hosts of the role the placement spreads partitions over.
         */
        @Param({ "50" })
        public int hosts;

        final Partitioner partitioner = new Partitioner();
        final List<String> hostIds = new ArrayList<>();
        Placement placement;

        /**
         * Build the host ids and their placement once per trial.
         */
        @Setup
        public void setUp()
        {
            for (int i = 1; i <= hosts; i++)
            {
                hostIds.add("channel-" + i);
            }
            placement = Placement.of(partitioner.partitionCount(), hostIds);
        }
    }

    /**
     * Names to route, cycled through.
     */
    @State(Scope.Thread)
    public static class Names
    {
        /**
         * Bytes per name: a short user id, and a long channel name.
         */
        @Param({ "12", "64" })
        public int nameLength;

        final UnsafeBuffer names = new UnsafeBuffer(new byte[NAME_COUNT * NAME_STRIDE]);
        int next;

        /**
         * Build the names once per trial.
         */
        @Setup
        public void setUp()
        {
            for (int i = 0; i < NAME_COUNT; i++)
            {
                names.putStringWithoutLengthAscii(i * NAME_STRIDE, String.format("%0" + nameLength + "d", i * 7919L));
            }
        }
    }

    /**
     * @param hosts the placement.
     * @param names the names.
     * @return owning host index of the next name.
     */
    @Benchmark
    public int partitionAndOwner(final Hosts hosts, final Names names)
    {
        final int offset = (names.next++ & (NAME_COUNT - 1)) * NAME_STRIDE;
        return hosts.placement.ownerOf(hosts.partitioner.partitionOf(names.names, offset, names.nameLength));
    }

    /**
     * @param hosts the host ids.
     * @return a placement of 4096 partitions over the hosts.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Placement buildPlacement(final Hosts hosts)
    {
        return Placement.of(hosts.partitioner.partitionCount(), hosts.hostIds);
    }
}
