package io.switchboard.bench;

import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.channel.ChannelShard;
import io.switchboard.engine.channel.ChannelShardContext;
import io.switchboard.engine.partition.DefaultKeyHasher;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * Heap cost of idle channels in the channel engine: loads N channels (names {@code c-00000000} upward), each with
 * one subscribed gateway and no history, through Subscribe messages into S {@link ChannelShard}s (shard chosen from
 * the name's partition, as a channel host would), then measures heap used after GC against the baseline taken once
 * the empty shards existed (so the shards' fixed buffers, history logs included, are not counted per channel).
 * <p>
 * Usage: {@code DensityEngine [--channels N] [--shards S]}. The last line printed is
 * {@code RESULT scenario=density-engine channels=N bytes_per_channel=B load_s=S}.
 */
public final class DensityEngine
{
    private static final int PARTITIONS = 4096;
    private static final int GATEWAY_NODE_ID = 1;
    private static final int NAME_DIGITS = 8;

    private DensityEngine()
    {
    }

    public static void main(final String[] args)
    {
        int channels = 20_000_000;
        int shardCount = 1;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--channels" -> channels = Integer.parseInt(args[++i]);
                case "--shards" -> shardCount = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                    "unknown argument " + args[i] + "; usage: DensityEngine [--channels N] [--shards S]");
            }
        }
        if (channels <= 0 || shardCount <= 0)
        {
            throw new IllegalArgumentException("--channels and --shards must be positive");
        }

        final OutboundSink discard = (nodeId, buffer, offset, length) -> OutboundSink.SENT;
        final ChannelShard[] shards = new ChannelShard[shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            shards[i] = new ChannelShard(new ChannelShardContext().outboundSink(discard));
        }

        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final long before = heapUsedAfterGc(memory);
        System.out.printf(Locale.ROOT, "loading channels=%d shards=%d baseline_heap_bytes=%d%n",
            channels, shardCount, before);

        final long loadNs = load(shards, channels);

        final long after = heapUsedAfterGc(memory);
        long loaded = 0;
        for (final ChannelShard shard : shards)
        {
            loaded += shard.channelCount();
        }
        Reference.reachabilityFence(shards);
        if (loaded != channels)
        {
            throw new IllegalStateException("expected " + channels + " channels, shards hold " + loaded);
        }

        final double bytesPerChannel = (double)(after - before) / channels;
        System.out.printf(Locale.ROOT, "heap_before=%d heap_after=%d delta=%d channels_held=%d%n",
            before, after, after - before, loaded);
        System.out.printf(Locale.ROOT,
            "RESULT scenario=density-engine channels=%d bytes_per_channel=%.1f load_s=%.1f%n",
            channels, bytesPerChannel, loadNs / 1e9);
    }

    private static long load(final ChannelShard[] shards, final int channels)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer name = new UnsafeBuffer(new byte[2 + NAME_DIGITS]);
        name.putByte(0, (byte)'c');
        name.putByte(1, (byte)'-');
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final SubscribeEncoder subscribe = new SubscribeEncoder();

        final long startNs = System.nanoTime();
        long lastReportNs = startNs;
        int lastReported = 0;
        for (int i = 0; i < channels; i++)
        {
            int value = i;
            for (int d = NAME_DIGITS + 1; d >= 2; d--)
            {
                name.putByte(d, (byte)('0' + value % 10));
                value /= 10;
            }

            final long key = DefaultKeyHasher.INSTANCE.hash(name, 0, name.capacity());
            final int shard = (int)(key & (PARTITIONS - 1)) % shards.length;
            subscribe.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .nodeId(GATEWAY_NODE_ID)
                .correlationId(i)
                .putChannel(name, 0, name.capacity());
            shards[shard].onMessage(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength());

            if ((i & 0xFFFF) == 0)
            {
                final long nowNs = System.nanoTime();
                if (nowNs - lastReportNs >= 1_000_000_000L)
                {
                    System.out.printf(Locale.ROOT, "loaded=%d rate=%.0f/s%n",
                        i, (i - lastReported) * 1e9 / (nowNs - lastReportNs));
                    lastReportNs = nowNs;
                    lastReported = i;
                }
            }
        }

        return System.nanoTime() - startNs;
    }

    private static long heapUsedAfterGc(final MemoryMXBean memory)
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }

        return memory.getHeapMemoryUsage().getUsed();
    }
}
