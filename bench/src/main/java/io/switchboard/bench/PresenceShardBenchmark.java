package io.switchboard.bench;

import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.PresenceConnectEncoder;
import io.switchboard.codecs.PresenceDisconnectEncoder;
import io.switchboard.codecs.PresenceSetStatusEncoder;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceWatchEncoder;
import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.presence.PresenceShard;
import io.switchboard.engine.presence.PresenceShardContext;
import org.agrona.DirectBuffer;
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

import java.util.concurrent.TimeUnit;

/**
 * A presence shard's hot paths with a sink that only counts bytes: a status change of a user watched by
 * {@code watchers} gateways (one update encoded once, sent to each), and a connect/disconnect pair of a user with
 * the same watchers (two changes, the user created from the pool and removed again).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.util.zip=ALL-UNNAMED" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PresenceShardBenchmark
{
    private static final int GATEWAY = 1000;

    /**
     * Gateways watching the user.
     */
    @Param({ "1", "10" })
    public int watchers;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final Message away = new Message();
    private final Message online = new Message();
    private final Message connect = new Message();
    private final Message disconnect = new Message();
    private long bytesSent;
    private PresenceShard shard;
    private boolean isAway;

    /**
     * Build the shard, the watches and the messages once per trial.
     */
    @Setup
    public void setUp()
    {
        final OutboundSink sink = this::countBytes;
        shard = new PresenceShard(new PresenceShardContext().outboundSink(sink));

        final Message watch = new Message();
        for (int gateway = 1; gateway <= watchers; gateway++)
        {
            final PresenceWatchEncoder encoder = new PresenceWatchEncoder();
            final PresenceWatchEncoder.UsersEncoder users =
                encoder.wrapAndApplyHeader(watch.buffer, 0, header).nodeId(gateway).usersCount(2);
            users.next().user("alice@example.com");
            users.next().user("bob@example.com");
            watch.length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
            watch.deliverTo(shard);
        }

        final PresenceConnectEncoder connectEncoder = new PresenceConnectEncoder();
        connectEncoder.wrapAndApplyHeader(connect.buffer, 0, header).nodeId(GATEWAY).user("alice@example.com");
        connect.length = MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength();
        connect.deliverTo(shard);

        connectEncoder.wrapAndApplyHeader(connect.buffer, 0, header).nodeId(GATEWAY).user("bob@example.com");
        connect.length = MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength();
        final PresenceDisconnectEncoder disconnectEncoder = new PresenceDisconnectEncoder();
        disconnectEncoder.wrapAndApplyHeader(disconnect.buffer, 0, header).nodeId(GATEWAY).user("bob@example.com");
        disconnect.length = MessageHeaderEncoder.ENCODED_LENGTH + disconnectEncoder.encodedLength();

        encodeStatus(away, PresenceStatus.AWAY);
        encodeStatus(online, PresenceStatus.ONLINE);
    }

    /**
     * @return bytes sent so far, so the work is not dead.
     */
    @Benchmark
    public long statusChange()
    {
        isAway = !isAway;
        (isAway ? away : online).deliverTo(shard);
        return bytesSent;
    }

    /**
     * @return bytes sent so far, so the work is not dead.
     */
    @Benchmark
    public long connectDisconnect()
    {
        connect.deliverTo(shard);
        disconnect.deliverTo(shard);
        return bytesSent;
    }

    private int countBytes(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        bytesSent += length;
        return OutboundSink.SENT;
    }

    private void encodeStatus(final Message message, final PresenceStatus status)
    {
        final PresenceSetStatusEncoder encoder = new PresenceSetStatusEncoder();
        encoder.wrapAndApplyHeader(message.buffer, 0, header).nodeId(GATEWAY).status(status).user("alice@example.com");
        message.length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static final class Message
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length;

        void deliverTo(final PresenceShard shard)
        {
            shard.onMessage(buffer, 0, length);
        }
    }
}
