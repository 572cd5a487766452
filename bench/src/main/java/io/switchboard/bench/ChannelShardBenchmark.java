package io.switchboard.bench;

import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.SubscribeEncoder;
import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.channel.ChannelShard;
import io.switchboard.engine.channel.ChannelShardContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of one persistent publish through a {@link ChannelShard}: decode, seq, history append (with eviction
 * once the log is full), one ChannelEvent encoded and handed to every subscribed gateway, and the ack. The sink only
 * consumes the length, so this measures the shard, not a transport. Gateways beyond 64 exercise the overflow path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChannelShardBenchmark
{
    private static final String CHANNEL = "bench-channel";
    private static final int PAYLOAD_LENGTH = 100;

    @Param({ "1", "10", "100" })
    public int gateways;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private ChannelShard shard;
    private int publishLength;

    /**
     * Subscribe the gateways, then encode the publish once: the benchmark replays the same bytes.
     *
     * @param blackhole consumes each sent length so the sink's work is not optimised away.
     */
    @Setup(Level.Trial)
    public void setup(final Blackhole blackhole)
    {
        final OutboundSink sink = (nodeId, buffer, offset, length) ->
        {
            blackhole.consume(length);
            return OutboundSink.SENT;
        };
        shard = new ChannelShard(new ChannelShardContext().outboundSink(sink));

        final SubscribeEncoder subscribe = new SubscribeEncoder();
        for (int node = 1; node <= gateways; node++)
        {
            subscribe.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .nodeId(node)
                .correlationId(node)
                .channel(CHANNEL);
            shard.onMessage(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength());
        }

        final byte[] payload = new byte[PAYLOAD_LENGTH];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)('a' + i % 26);
        }
        final PublishEncoder publish = new PublishEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(1)
            .correlationId(42)
            .timestampNs(1_700_000_000_000_000_000L)
            .channel(CHANNEL)
            .user("user-1")
            .messageId("message-0001")
            .putPayload(payload, 0, payload.length);
        publishLength = MessageHeaderEncoder.ENCODED_LENGTH + publish.encodedLength();
    }

    /**
     * One publish from decode to the last send.
     */
    @Benchmark
    public void publish()
    {
        shard.onMessage(buffer, 0, publishLength);
    }
}
