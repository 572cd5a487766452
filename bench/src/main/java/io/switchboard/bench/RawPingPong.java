package io.switchboard.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.HdrHistogram.Histogram;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The baseline: Aeron alone, a pinger sending its send time and a ponger echoing it on another stream, one
 * message in flight. Nothing of Switchboard runs meanwhile, so this is what the same driver, channel and idle
 * strategies give with none of our code in the way. Optionally a relay thread sits between pinger and ponger, so
 * three threads hand each message on as on the Switchboard path (gateway, node agent, shard): on a machine with fewer
 * cores than that, this shows what the third thread costs before any of our code runs.
 * <p>
 * Not thread-safe: {@link #run} is called from one thread, which becomes the pinger; the ponger gets its own.
 */
final class RawPingPong
{
    private static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final Aeron aeron;
    private final String pingChannel;
    private final int pingStream;
    private final String pongChannel;
    private final int pongStream;
    private final String relayChannel;
    private final int relayStream;

    /**
     * @param aeron       client attached to the driver under test.
     * @param pingChannel channel the ponger listens on.
     * @param pingStream  its stream.
     * @param pongChannel channel the pinger listens on.
     * @param pongStream  its stream.
     * @param relayChannel channel the ponger listens on when a relay forwards the pings to it, else null.
     * @param relayStream  its stream.
     */
    RawPingPong(
        final Aeron aeron,
        final String pingChannel,
        final int pingStream,
        final String pongChannel,
        final int pongStream,
        final String relayChannel,
        final int relayStream)
    {
        this.aeron = aeron;
        this.pingChannel = pingChannel;
        this.pingStream = pingStream;
        this.pongChannel = pongChannel;
        this.pongStream = pongStream;
        this.relayChannel = relayChannel;
        this.relayStream = relayStream;
    }

    /**
     * @param messageLength bytes per message (at least 8: the send time).
     * @param warmup        round trips not recorded.
     * @param messages      round trips recorded.
     * @param pingIdle      how the pinger waits for the pong.
     * @param pongIdle      how the ponger waits for a ping (made on its thread).
     * @param relayIdle     how the relay waits (made on its thread); unused without a relay channel.
     * @return round-trip times in nanoseconds.
     */
    Histogram run(
        final int messageLength,
        final int warmup,
        final int messages,
        final IdleStrategy pingIdle,
        final Supplier<IdleStrategy> pongIdle,
        final Supplier<IdleStrategy> relayIdle) throws InterruptedException
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Subscription pongSubscription = aeron.addSubscription(pongChannel, pongStream);
        final Publication pingPublication = aeron.addPublication(pingChannel, pingStream);
        final Echo ponger = null == relayChannel ?
            new Echo(pingChannel, pingStream, pongChannel, pongStream, pongIdle) :
            new Echo(relayChannel, relayStream, pongChannel, pongStream, pongIdle);
        final Echo relay = null == relayChannel ?
            null : new Echo(pingChannel, pingStream, relayChannel, relayStream, relayIdle);
        final Thread pongThread = new Thread(ponger, "raw-ponger");
        final Thread relayThread = null == relay ? null : new Thread(relay, "raw-relay");
        pongThread.start();
        if (null != relayThread)
        {
            relayThread.start();
        }
        try
        {
            while (!pingPublication.isConnected() || !pongSubscription.isConnected())
            {
                Thread.yield();
            }

            final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(messageLength, 64));
            final long[] received = { 0 };
            final boolean[] recording = { false };
            final FragmentHandler handler = new FragmentAssembler((b, offset, length, header) ->
            {
                final long rttNs = System.nanoTime() - b.getLong(offset);
                if (recording[0])
                {
                    histogram.recordValue(rttNs);
                }
                received[0]++;
            });

            for (int i = 0, total = warmup + messages; i < total; i++)
            {
                recording[0] = i >= warmup;
                buffer.putLong(0, System.nanoTime());
                offer(pingPublication, buffer, messageLength, pingIdle);

                final long expected = received[0] + 1;
                final long deadlineNs = System.nanoTime() + STALL_TIMEOUT_NS;
                pingIdle.reset();
                while (received[0] < expected)
                {
                    final int work = pongSubscription.poll(handler, 1);
                    if (0 == work && System.nanoTime() - deadlineNs > 0)
                    {
                        throw new IllegalStateException("raw pong lost after " + i + " round trips");
                    }
                    pingIdle.idle(work);
                }
            }
        }
        finally
        {
            ponger.running = false;
            pongThread.join();
            if (null != relayThread)
            {
                relay.running = false;
                relayThread.join();
            }
            CloseHelper.closeAll(pingPublication, pongSubscription);
        }
        return histogram;
    }

    private static void offer(
        final Publication publication, final UnsafeBuffer buffer, final int length, final IdleStrategy idle)
    {
        idle.reset();
        long result;
        while ((result = publication.offer(buffer, 0, length)) < 0)
        {
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException("publication failed: " + result);
            }
            idle.idle();
        }
    }

    /**
     * Echoes what arrives on one stream to another: the ponger, or the relay in front of it.
     */
    private final class Echo implements Runnable
    {
        private final String inChannel;
        private final int inStream;
        private final String outChannel;
        private final int outStream;
        private final Supplier<IdleStrategy> idleSupplier;
        private volatile boolean running = true;

        Echo(
            final String inChannel,
            final int inStream,
            final String outChannel,
            final int outStream,
            final Supplier<IdleStrategy> idleSupplier)
        {
            this.inChannel = inChannel;
            this.inStream = inStream;
            this.outChannel = outChannel;
            this.outStream = outStream;
            this.idleSupplier = idleSupplier;
        }

        public void run()
        {
            final IdleStrategy idle = idleSupplier.get();
            final Subscription subscription = aeron.addSubscription(inChannel, inStream);
            final Publication publication = aeron.addPublication(outChannel, outStream);
            final FragmentHandler echo = new FragmentAssembler((buffer, offset, length, header) ->
            {
                long result;
                while ((result = publication.offer(buffer, offset, length)) < 0)
                {
                    if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
                    {
                        throw new IllegalStateException("pong publication failed: " + result);
                    }
                    Thread.onSpinWait();
                }
            });
            try
            {
                while (running)
                {
                    idle.idle(subscription.poll(echo, 1));
                }
            }
            finally
            {
                CloseHelper.closeAll(publication, subscription);
            }
        }
    }
}
