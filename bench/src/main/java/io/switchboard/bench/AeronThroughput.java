package io.switchboard.bench;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.switchboard.transport.EmbeddedDriver;
import io.switchboard.transport.EngineWiring;
import io.switchboard.transport.IdleStrategies;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import io.switchboard.transport.TransportCounters;
import io.switchboard.engine.shard.WaitStrategyName;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run aeron-throughput}: persistent messages through one channel host over IPC, counted end to end.
 * N publisher gateways publish to a set of channels round-robin as fast as back-pressure allows; one subscriber
 * gateway, subscribed to every channel, counts every ChannelEvent and checks that seq per channel has no gap; the
 * publishers count their PublishAcks. Zero loss means published == acked == delivered with no gap.
 * <p>
 * Every gateway is a {@link BenchGateway} on its own thread, sharing the host's embedded media driver. A progress
 * line is printed every second; the last line is {@code RESULT scenario=aeron-throughput ...}.
 * <p>
 * Not thread-safe: a program.
 */
public final class AeronThroughput
{
    private static final String USAGE = String.join("\n",
        "bench/run aeron-throughput [options]",
        "  --seconds N        publishing time measured, after the warm-up (10)",
        "  --warmup-seconds N publishing time before measuring (3)",
        "  --publishers N     publisher gateways, one thread each (1)",
        "  --channels N       channels published to round-robin (1000)",
        "  --payload BYTES    payload per message (32)",
        "  --shards N         channel shards on the host (1)",
        "  --term-length B    term of the host's publications to the gateways, asked for in the gateways' endpoints",
        "                     (67108864: a subscriber descheduled for ~100 ms loses nothing); the host's own inbound",
        "                     keeps the node default so heartbeats never queue behind more than a few ms of Publishes",
        "  --agent-idle/--gateway-idle/--driver-idle backoff|sleeping|yielding|busy-spin (yielding/yielding/backoff)",
        "  --shard-wait blocking|sleeping|yielding|busy-spin (yielding)",
        "  --offer-timeout-ms N  how long the host retries a back-pressured offer before giving up (node default 5)");
    private static final Set<String> OPTIONS = Set.of("seconds", "warmup-seconds", "publishers", "channels", "payload",
        "shards", "term-length", "agent-idle", "gateway-idle", "driver-idle", "shard-wait", "offer-timeout-ms");
    private static final int HOST_ID = 1;
    private static final int SUBSCRIBER_ID = 2;
    private static final int FIRST_PUBLISHER_ID = 100;
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private AeronThroughput()
    {
    }

    /**
     * @param args see USAGE.
     * @throws Exception when the run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchArgs options = new BenchArgs(args, OPTIONS, USAGE);
        final int seconds = options.integer("seconds", 10);
        final int warmupSeconds = options.integer("warmup-seconds", 3);
        final int publisherCount = options.integer("publishers", 1);
        final int channelCount = options.integer("channels", 1000);
        final int payloadLength = options.integer("payload", 32);
        final int shards = options.integer("shards", 1);
        final int termLength = options.integer("term-length", 64 * 1024 * 1024);
        // The host publishes to each gateway on the endpoint the gateway announces; a term-length there wins over the
        // host's own (PeerDirectory keeps it), so the deep buffer is on the host-to-gateway side only.
        final String gatewayChannel = "aeron:ipc?term-length=" + termLength;
        final String agentIdle = options.string("agent-idle", "yielding");
        final String gatewayIdle = options.string("gateway-idle", "yielding");
        final String driverIdle = options.string("driver-idle", "backoff");
        final WaitStrategyName shardWait = WaitStrategyName.parse(options.string("shard-wait", "yielding"));
        final NodeContext hostContext = new NodeContext();
        final long offerTimeoutMs = options.longValue("offer-timeout-ms", hostContext.offerTimeoutNs() / 1_000_000L);
        if (seconds < 1 || warmupSeconds < 0 || publisherCount < 1 || channelCount < 1 || payloadLength < 0)
        {
            throw new IllegalArgumentException("bad option value\n" + USAGE);
        }

        System.out.printf("aeron-throughput: ipc, %d publisher(s), %d channels, %d-byte payloads (Publish %d bytes), " +
            "%d shard(s), host-to-gateway term %d, host offer timeout %d ms; idle: gateways %s, agent %s, shard %s, driver %s; " +
            "%d s warm-up + %d s measured; %d cores%n", publisherCount, channelCount, payloadLength,
            BenchGateway.publishLength(6, ThroughputGateways.USER.capacity(), payloadLength), shards, termLength,
            offerTimeoutMs, gatewayIdle, agentIdle, shardWait.name().toLowerCase(java.util.Locale.ROOT), driverIdle, warmupSeconds,
            seconds, Runtime.getRuntime().availableProcessors());

        final NodeContext driverContext = new NodeContext()
            .nodeName("bench-tput-driver").driverIdleStrategy(driverIdle).conclude();
        final EmbeddedDriver driver = EmbeddedDriver.launch(driverContext);
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final SwitchboardNode node = SwitchboardNode.launch(hostContext
            .nodeId(HOST_ID)
            .offerTimeoutNs(offerTimeoutMs * 1_000_000L)
            .nodeName("bench-tput-host")
            .roles(EnumSet.of(Role.CHANNEL))
            .listenChannel("aeron:ipc")
            .aeronDir(driver.aeronDirectoryName())
            .idleStrategy(agentIdle)
            .channelShards(shards)
            .shardWaitStrategy(shardWait), new EngineWiring());
        final int hostTermLength = node.context().termLength();

        final UnsafeBuffer[] channels = ThroughputGateways.channelNames(channelCount);
        final ThroughputGateways.Subscriber subscriber = new ThroughputGateways.Subscriber(
            aeron, SUBSCRIBER_ID, HOST_ID, hostTermLength, gatewayChannel, channels,
            IdleStrategies.newInstance(gatewayIdle));
        final List<ThroughputGateways.Publisher> publishers = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        try
        {
            subscriber.subscribeAll(20_000);
            // Started at once: a gateway that stops polling stops heartbeating, and a host that hears nothing for
            // 800 ms (publishers connecting on a loaded machine can take that long) drops its subscriptions.
            threads.add(new Thread(subscriber, "bench-subscriber"));
            threads.get(0).start();
            for (int i = 0; i < publisherCount; i++)
            {
                final ThroughputGateways.Publisher publisher = new ThroughputGateways.Publisher(
                    aeron, FIRST_PUBLISHER_ID + i, HOST_ID, hostTermLength, gatewayChannel, channels, i * channelCount / publisherCount,
                    payloadLength, IdleStrategies.newInstance(gatewayIdle));
                publisher.awaitHost(20_000);
                publishers.add(publisher);
                threads.add(new Thread(publisher, "bench-publisher-" + i));
            }
            threads.subList(1, threads.size()).forEach(Thread::start);

            final long startNs = System.nanoTime();
            long warmEndNs = 0;
            long warmDelivered = 0;
            long lastDelivered = 0;
            long lastNs = startNs;
            for (int second = 1; second <= warmupSeconds + seconds; second++)
            {
                final long dueNs = startNs + TimeUnit.SECONDS.toNanos(second);
                while (System.nanoTime() - dueNs < 0)
                {
                    Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNs - System.nanoTime())));
                }
                final long nowNs = System.nanoTime();
                final long delivered = subscriber.delivered();
                System.out.printf("t=%2ds %s published=%d acked=%d delivered=%d rate=%.0f msgs/s gaps=%d%n", second,
                    second <= warmupSeconds ? "warm-up " : "measured", published(publishers), acked(publishers),
                    delivered, (delivered - lastDelivered) * 1e9 / (nowNs - lastNs), subscriber.gaps());
                lastDelivered = delivered;
                lastNs = nowNs;
                if (second == warmupSeconds)
                {
                    warmEndNs = nowNs;
                    warmDelivered = delivered;
                }
            }
            final long endNs = System.nanoTime();
            final long measuredDelivered = subscriber.delivered() - warmDelivered;
            final double rate = measuredDelivered * 1e9 / (endNs - (0 == warmEndNs ? startNs : warmEndNs));

            publishers.forEach(ThroughputGateways.Publisher::stop);
            for (final ThroughputGateways.Publisher publisher : publishers)
            {
                while (!publisher.stoppedPublishing() && threads.get(1 + publishers.indexOf(publisher)).isAlive())
                {
                    Thread.sleep(1);
                }
            }
            final long published = published(publishers);
            final long drainDeadlineNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
            while ((subscriber.delivered() < published || acked(publishers) < published) &&
                System.nanoTime() - drainDeadlineNs < 0)
            {
                Thread.sleep(1);
            }
            subscriber.stop();
            publishers.forEach(ThroughputGateways.Publisher::shutdown);
            for (final Thread thread : threads)
            {
                thread.join();
            }

            final long acked = acked(publishers);
            final long delivered = subscriber.delivered();
            final long lost = published - delivered;
            final TransportCounters counters = node.counters();
            long heartbeatsRefused = subscriber.heartbeatsRefused();
            for (final ThroughputGateways.Publisher publisher : publishers)
            {
                heartbeatsRefused += publisher.heartbeatsRefused();
            }
            System.out.printf("totals: published=%d acked=%d delivered=%d gaps=%d lost=%d; host: offer retries=%d " +
                "offer failures=%d not-connected=%d shard-full holds=%d peers lost=%d; publishers back-pressured %d " +
                "times; gateway heartbeat offers refused and retried %d%n",
                published, acked, delivered, subscriber.gaps(), lost, counters.offerRetries.get(),
                counters.offerBackPressureFailures.get(), counters.offerNotConnected.get(),
                counters.shardBackPressure.get(), counters.peersLost.get(), backPressured(publishers),
                heartbeatsRefused);
            final boolean zeroLoss = 0 == lost && acked == published && 0 == subscriber.gaps() &&
                0 == subscriber.duplicates();
            System.out.printf("zero loss: %s (published == acked == delivered, no seq gap or repeat per channel)%n",
                zeroLoss ? "yes" : "NO");
            System.out.printf("RESULT scenario=aeron-throughput transport=ipc msgs_per_s=%.0f published=%d " +
                "acked=%d delivered=%d lost=%d gaps=%d zero_loss=%s publishers=%d channels=%d payload=%d%n",
                rate, published, acked, delivered, lost, subscriber.gaps(), zeroLoss, publisherCount, channelCount,
                payloadLength);
        }
        finally
        {
            publishers.forEach(ThroughputGateways.Publisher::shutdown);
            subscriber.stop();
            for (final Thread thread : threads)
            {
                thread.join(5_000);
            }
            publishers.forEach(ThroughputGateways.Publisher::close);
            CloseHelper.closeAll(subscriber, node, aeron, driver);
        }
    }

    private static long published(final List<ThroughputGateways.Publisher> publishers)
    {
        long sum = 0;
        for (final ThroughputGateways.Publisher publisher : publishers)
        {
            sum += publisher.published();
        }
        return sum;
    }

    private static long acked(final List<ThroughputGateways.Publisher> publishers)
    {
        long sum = 0;
        for (final ThroughputGateways.Publisher publisher : publishers)
        {
            sum += publisher.acked();
        }
        return sum;
    }

    private static long backPressured(final List<ThroughputGateways.Publisher> publishers)
    {
        long sum = 0;
        for (final ThroughputGateways.Publisher publisher : publishers)
        {
            sum += publisher.backPressured();
        }
        return sum;
    }

    static boolean isFatal(final long offerResult)
    {
        return Publication.CLOSED == offerResult || Publication.MAX_POSITION_EXCEEDED == offerResult;
    }

    static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
