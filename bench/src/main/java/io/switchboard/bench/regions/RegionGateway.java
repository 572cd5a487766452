package io.switchboard.bench.regions;

import io.switchboard.codecs.ErrorCode;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.PeerSpec;
import io.switchboard.transport.client.ClientListener;
import io.switchboard.transport.client.SwitchboardClient;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A headless gateway of the regions benchmark, run inside one region's namespace: an integrator
 * {@link SwitchboardClient} that subscribes to the benchmark channels, checks that every seq arrives exactly once
 * (live, or through the history the client fetches on a gap), and records publish to deliver latency from the
 * publisher's intended send time (wall clock: every process runs on the same machine). One gateway also publishes,
 * open loop at a fixed rate: message i is due at start + i / rate and its latency counts from then, however late it
 * actually left, so a stall shows in the figures instead of being hidden (no coordinated omission).
 * <p>
 * Conversation with {@link RegionsScenario} over stdin/stdout: prints {@code READY}; the publisher waits for
 * {@code GO}, publishes, waits for its acks and prints {@code PUBLISHED last=a,b,...}; every gateway then gets
 * {@code EXPECT a,b,...} (last seq per channel), waits until it holds every seq or the drain timeout passes, writes
 * {@code <region>.hgrm}, {@code <region>.hlog} and {@code <region>.summary} and prints {@code DONE ...}.
 * <p>
 * Thread-safety: single-threaded (the client's thread), apart from the stdin reader which hands lines over a
 * concurrent queue.
 */
public final class RegionGateway implements ClientListener
{
    static final int PAYLOAD_INDEX_OFFSET = 0;
    static final int PAYLOAD_INTENDED_OFFSET = 8;
    static final int PAYLOAD_MEASURED_OFFSET = 16;
    static final int MIN_PAYLOAD = 17;
    static final long HIGHEST_TRACKABLE_US = 60_000_000L;

    private final RegionGatewayOptions options;
    private final PrintStream out;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_US, 3);
    private final List<Tracked> channels = new ArrayList<>();
    private final UnsafeBuffer payload;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private SwitchboardClient client;
    private int subscribed;
    private long published;
    private long acked;
    private long errors;
    private long publishRetries;
    private long gaps;
    private long historyRequests;
    private long historyIncomplete;

    RegionGateway(final RegionGatewayOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        this.payload = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(MIN_PAYLOAD, options.payloadBytes)));
        for (int i = 0; i < options.channels; i++)
        {
            channels.add(new Tracked(options.channelName(i)));
        }
    }

    /**
     * @param args see {@link RegionGatewayOptions}.
     * @throws Exception on failure: the process exits non-zero and the scenario reports it.
     */
    public static void main(final String[] args) throws Exception
    {
        final RegionGateway gateway = new RegionGateway(RegionGatewayOptions.parse(args), System.out);
        gateway.startStdinReader();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::stop, "gateway-shutdown"));
        try
        {
            gateway.run();
        }
        catch (final StopRequested ex)
        {
            System.out.println("stopped before the end of the run");
            System.exit(3);
        }
        System.exit(0);
    }

    void run() throws IOException
    {
        client = SwitchboardClient.connect(new NodeContext()
            .nodeId(options.nodeId)
            .nodeName("gw-" + options.region + "-" + ProcessHandle.current().pid())
            .region(options.region)
            .listenChannel(options.listen)
            .peers(PeerSpec.parseList(options.hosts)), this);
        try
        {
            if (!client.awaitHosts(options.connectTimeoutMs))
            {
                throw new IllegalStateException(
                    "channel host not heard from within " + options.connectTimeoutMs + " ms");
            }
            for (final Tracked channel : channels)
            {
                while (client.subscribe(channel.name) < 0)
                {
                    poll();
                }
            }
            final BackoffIdleStrategy idle = newIdle();
            while (subscribed < channels.size())
            {
                idle.idle(poll());
            }
            out.println("READY region=" + options.region);
            out.flush();

            if (options.publish)
            {
                awaitCommand("GO", idle);
                publishAll(idle);
                final StringBuilder last = new StringBuilder();
                for (final Tracked channel : channels)
                {
                    last.append(last.length() > 0 ? "," : "").append(channel.lastAckedSeq);
                }
                out.println("PUBLISHED last=" + last + " published=" + published + " acked=" + acked
                    + " errors=" + errors + " retries=" + publishRetries);
                out.flush();
            }

            final String expect = awaitCommand("EXPECT ", idle);
            final String[] lastSeqs = expect.substring("EXPECT ".length()).trim().split(",");
            for (int i = 0; i < channels.size(); i++)
            {
                channels.get(i).expectedLast = Long.parseLong(lastSeqs[i]);
            }
            drain(idle);
            report();
        }
        finally
        {
            // Closing here, on the client's own thread, also deletes the embedded driver's directory.
            client.close();
            closed.countDown();
        }
    }

    /**
     * Ask the client's thread to stop and close (SIGTERM, or the scenario went away), waiting a little for it.
     */
    void stop()
    {
        stopRequested = true;
        try
        {
            closed.await(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private int poll()
    {
        if (stopRequested)
        {
            throw new StopRequested();
        }
        return client.poll();
    }

    private void publishAll(final BackoffIdleStrategy idle)
    {
        final long intervalNs = 1_000_000_000L / options.rate;
        final long total = (long)options.rate * options.durationS;
        final long warmupMessages = (long)options.rate * options.warmupS;
        final long startNs = clock.nanoTime() + 10_000_000L;
        long index = 0;
        while (index < total)
        {
            int work = poll();
            final long intendedNs = startNs + index * intervalNs;
            if (clock.nanoTime() - intendedNs >= 0)
            {
                final Tracked channel = channels.get((int)(index % channels.size()));
                payload.putLong(PAYLOAD_INDEX_OFFSET, index);
                payload.putLong(PAYLOAD_INTENDED_OFFSET, intendedNs);
                payload.putByte(PAYLOAD_MEASURED_OFFSET, (byte)(index >= warmupMessages ? 1 : 0));
                final long result = client.publish(
                    channel.name, "bench", Long.toString(index), payload, 0, payload.capacity());
                if (result > 0)
                {
                    published++;
                    index++;
                    work++;
                }
                else
                {
                    // Back-pressure or no connection yet: try again; its latency still counts from the intended time.
                    publishRetries++;
                }
            }
            idle.idle(work);
        }
        final long deadlineNs = System.nanoTime() + options.drainTimeoutS * 1_000_000_000L;
        while (acked + errors < published && System.nanoTime() - deadlineNs < 0)
        {
            idle.idle(poll());
        }
    }

    private void drain(final BackoffIdleStrategy idle)
    {
        final long deadlineNs = System.nanoTime() + options.drainTimeoutS * 1_000_000_000L;
        long nextTailCheckNs = System.nanoTime() + 2_000_000_000L;
        while (missing() > 0 && System.nanoTime() - deadlineNs < 0)
        {
            idle.idle(poll());
            final long nowNs = System.nanoTime();
            if (nowNs - nextTailCheckNs >= 0)
            {
                // Seqs lost at the very end leave no later message to reveal the gap: ask history for them.
                nextTailCheckNs = nowNs + 2_000_000_000L;
                for (final Tracked channel : channels)
                {
                    final long first = channel.firstMissing();
                    if (first > 0 && client.history(channel.name, first - 1, channel.epoch,
                        (int)Math.min(1000, channel.expectedLast - first + 1)) > 0)
                    {
                        historyRequests++;
                    }
                }
            }
        }
    }

    private long missing()
    {
        long missing = 0;
        for (final Tracked channel : channels)
        {
            missing += channel.expectedCount() - channel.deliveredOfExpected();
        }
        return missing;
    }

    private void report() throws IOException
    {
        long expected = 0;
        long received = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long recovered = 0;
        for (final Tracked channel : channels)
        {
            expected += channel.expectedCount();
            received += channel.deliveredOfExpected();
            duplicates += channel.duplicates;
            outOfOrder += channel.outOfOrder;
            recovered += channel.recovered;
        }
        final long lost = expected - received;
        final Path dir = Path.of(options.outDir);
        Files.createDirectories(dir);
        RegionsReport.writeHistogram(histogram, dir, options.region);
        final String summary = "region=" + options.region
            + " expected=" + expected
            + " delivered=" + received
            + " lost=" + lost
            + " duplicates=" + duplicates
            + " out_of_order=" + outOfOrder
            + " gaps=" + gaps
            + " recovered=" + recovered
            + " history_requests=" + historyRequests
            + " history_incomplete=" + historyIncomplete
            + " measured=" + histogram.getTotalCount();
        Files.writeString(dir.resolve(options.region + ".summary"), summary + System.lineSeparator());
        out.println("DONE " + summary);
        out.flush();
    }

    private String awaitCommand(final String prefix, final BackoffIdleStrategy idle)
    {
        while (true)
        {
            final String line = commands.poll();
            if (null != line && line.startsWith(prefix))
            {
                return line;
            }
            idle.idle(poll());
        }
    }

    private void startStdinReader()
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = in.readLine()))
                {
                    commands.add(line.trim());
                }
            }
            catch (final IOException ignore)
            {
                // the scenario went away: the drain timeout ends this process
            }
            // stdin closed: the scenario is gone or stopping us; nothing left to wait for.
            stopRequested = true;
        }, "stdin");
        reader.setDaemon(true);
        reader.start();
    }

    private static BackoffIdleStrategy newIdle()
    {
        // Parks at most 100 us: the figures measure the network path, not the benchmark's own idling.
        return new BackoffIdleStrategy(100, 10, 1_000, 100_000);
    }

    private Tracked tracked(final String channel)
    {
        for (final Tracked tracked : channels)
        {
            if (tracked.name.equals(channel))
            {
                return tracked;
            }
        }
        return null;
    }

    private void record(final long intendedNs, final boolean measured)
    {
        if (measured)
        {
            final long latencyUs = Math.max(0, (clock.nanoTime() - intendedNs) / 1000);
            histogram.recordValue(Math.min(latencyUs, HIGHEST_TRACKABLE_US));
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onSubscribed(final long correlationId, final String channel, final long seq, final long epoch)
    {
        final Tracked tracked = tracked(channel);
        if (null != tracked && !tracked.subscribed)
        {
            tracked.subscribed = true;
            tracked.baseSeq = seq;
            tracked.lastLiveSeq = seq;
            tracked.epoch = epoch;
            subscribed++;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(
        final String channel, final long seq, final long epoch, final long timestampNs, final String user,
        final String messageId, final DirectBuffer buffer, final int offset, final int length)
    {
        final Tracked tracked = tracked(channel);
        if (null == tracked || length < MIN_PAYLOAD)
        {
            return;
        }
        if (seq <= tracked.lastLiveSeq)
        {
            tracked.outOfOrder++;
        }
        tracked.lastLiveSeq = Math.max(tracked.lastLiveSeq, seq);
        if (tracked.mark(seq))
        {
            record(buffer.getLong(offset + PAYLOAD_INTENDED_OFFSET),
                0 != buffer.getByte(offset + PAYLOAD_MEASURED_OFFSET));
        }
        else
        {
            tracked.duplicates++;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onGap(final String channel, final long expected, final long received)
    {
        gaps++;
        historyRequests++;
    }

    /**
     * {@inheritDoc}
     */
    public void onHistory(
        final long correlationId, final String channel, final long epoch, final long lastSeq, final boolean complete,
        final List<HistoryMessage> messages)
    {
        final Tracked tracked = tracked(channel);
        if (null == tracked)
        {
            return;
        }
        if (!complete)
        {
            historyIncomplete++;
        }
        for (final HistoryMessage message : messages)
        {
            // Seqs already delivered live come back when a range overlaps: only the missing ones count.
            if (message.payload().length >= MIN_PAYLOAD && tracked.mark(message.seq()))
            {
                tracked.recovered++;
                final UnsafeBuffer view = new UnsafeBuffer(message.payload());
                record(view.getLong(PAYLOAD_INTENDED_OFFSET), 0 != view.getByte(PAYLOAD_MEASURED_OFFSET));
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onPublishAck(
        final long correlationId, final String channel, final long seq, final long epoch, final String messageId)
    {
        acked++;
        final Tracked tracked = tracked(channel);
        if (null != tracked)
        {
            tracked.lastAckedSeq = Math.max(tracked.lastAckedSeq, seq);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onError(final long correlationId, final ErrorCode code, final String channel, final String message)
    {
        out.println("error: " + code + " on " + channel + ": " + message);
        errors++;
    }

    /**
     * {@inheritDoc}
     */
    public void onHostLost(final int nodeId)
    {
        out.println("error: channel host " + nodeId + " lost");
    }

    private static final class StopRequested extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StopRequested()
        {
            super("stop requested", null, false, false);
        }
    }

    private static final class Tracked
    {
        final String name;
        final BitSet seen = new BitSet();
        boolean subscribed;
        long baseSeq;
        long epoch;
        long lastLiveSeq;
        long lastAckedSeq;
        long expectedLast;
        long duplicates;
        long outOfOrder;
        long recovered;

        Tracked(final String name)
        {
            this.name = name;
        }

        boolean mark(final long seq)
        {
            final int bit = (int)(seq - baseSeq);
            if (bit <= 0 || seen.get(bit))
            {
                return false;
            }
            seen.set(bit);
            return true;
        }

        /**
         * Seqs the publisher had acked when it finished; later ones (acked too late to count, or whose ack the
         * client gave up on) may arrive too and are not counted either way.
         */
        long deliveredOfExpected()
        {
            final long count = expectedCount();
            return count <= 0 ? 0 : seen.get(1, (int)count + 1).cardinality();
        }

        long expectedCount()
        {
            return Math.max(0, expectedLast - baseSeq);
        }

        long firstMissing()
        {
            final int bit = seen.nextClearBit(1);
            return bit <= expectedCount() ? baseSeq + bit : 0;
        }
    }
}
