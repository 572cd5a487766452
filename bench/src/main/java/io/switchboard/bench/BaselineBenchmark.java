package io.switchboard.bench;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Floors to read Switchboard's microbenchmarks against, measured in the same run on the same machine: the
 * machine is shared and noisy, so docs/benchmarks.md reports our figures as ratios to these.
 * <ul>
 *     <li>{@code copy200Bytes}: the memory traffic of one message (names + 100-byte payload) copied once;</li>
 *     <li>{@code hashMapLookup}: what a naive channel table (HashMap of String) costs per lookup.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BaselineBenchmark
{
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer target = new UnsafeBuffer(new byte[256]);
    private final Map<String, Long> channels = new HashMap<>();
    private final byte[] name = "c-00001234".getBytes(StandardCharsets.UTF_8);

    @Setup
    public void setup()
    {
        for (int i = 0; i < 100_000; i++)
        {
            channels.put(String.format("c-%08d", i), (long)i);
        }
    }

    @Benchmark
    public UnsafeBuffer copy200Bytes()
    {
        target.putBytes(0, source, 0, 200);
        return target;
    }

    @Benchmark
    public Long hashMapLookup()
    {
        // Includes decoding the name from bytes, as a table keyed by String would have to.
        return channels.get(new String(name, StandardCharsets.UTF_8));
    }
}
