package io.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.MessageValidator;
import io.switchboard.codecs.PublishDecoder;
import io.switchboard.codecs.PublishEncoder;
import io.switchboard.codecs.Rejection;
import org.agrona.BufferUtil;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the SBE hot path of a Publish (short names, 100-byte payload): encode, decode of every field (var-data by
 * wrapping, no copy), and validation, with encoders, decoders and buffers reused as the hosts reuse them.
 * <p>
 * Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main CodecBenchmark}.
 * <p>
 * Not thread-safe: JMH gives each benchmark thread its own state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark
{
    private static final int PAYLOAD_LENGTH = 100;

    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
    private final UnsafeBuffer channel = bytes("general");
    private final UnsafeBuffer user = bytes("U024BE7LH");
    private final UnsafeBuffer messageId = bytes("m-0000000042");
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PublishEncoder encoder = new PublishEncoder();
    private final PublishDecoder decoder = new PublishDecoder();
    private final UnsafeBuffer channelView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer userView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer messageIdView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);

    private long correlationId;
    private int length;

    @Setup
    public void setup()
    {
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            payload.putByte(i, (byte)('a' + i % 26));
        }
        length = encode();
    }

    @Benchmark
    public int encode()
    {
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .nodeId(3)
            .correlationId(++correlationId)
            .timestampNs(1_700_000_000_000_000_000L + correlationId)
            .putChannel(channel, 0, channel.capacity())
            .putUser(user, 0, user.capacity())
            .putMessageId(messageId, 0, messageId.capacity())
            .putPayload(payload, 0, PAYLOAD_LENGTH);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Benchmark
    public void decode(final Blackhole blackhole)
    {
        decodeInto(blackhole);
    }

    @Benchmark
    public void encodeAndDecode(final Blackhole blackhole)
    {
        blackhole.consume(encode());
        decodeInto(blackhole);
    }

    @Benchmark
    public Rejection validate()
    {
        return MessageValidator.validate(buffer, 0, length);
    }

    @Benchmark
    public void validateAndDecode(final Blackhole blackhole)
    {
        if (Rejection.NONE == MessageValidator.validate(buffer, 0, length))
        {
            decodeInto(blackhole);
        }
    }

    private void decodeInto(final Blackhole blackhole)
    {
        decoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        blackhole.consume(decoder.nodeId());
        blackhole.consume(decoder.correlationId());
        blackhole.consume(decoder.timestampNs());
        decoder.wrapChannel(channelView);
        decoder.wrapUser(userView);
        decoder.wrapMessageId(messageIdView);
        decoder.wrapPayload(payloadView);
        blackhole.consume(channelView.capacity() + userView.capacity() + messageIdView.capacity());
        blackhole.consume(payloadView.getByte(PAYLOAD_LENGTH - 1));
    }

    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
