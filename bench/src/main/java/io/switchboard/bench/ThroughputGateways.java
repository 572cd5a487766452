package io.switchboard.bench;

import io.aeron.Aeron;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two sides of {@link AeronThroughput}: publishers that publish as fast as back-pressure allows and count
 * their acks, and one subscriber that counts every ChannelEvent and checks seq per channel. Each runs on its own
 * thread over its own {@link BenchGateway}; counts are published with ordered stores for the progress printer.
 * <p>
 * Thread-safety: each instance belongs to the thread that runs it; the count getters, {@link Publisher#stop} and
 * {@link Subscriber#stop} may be called from any thread.
 */
final class ThroughputGateways
{
    /** Channel names are {@code ch-<index>}: the index is parsed back from the bytes, no map, no String. */
    static final byte[] CHANNEL_PREFIX = "ch-".getBytes(StandardCharsets.US_ASCII);
    static final UnsafeBuffer USER = new UnsafeBuffer("bench".getBytes(StandardCharsets.US_ASCII));

    private ThroughputGateways()
    {
    }

    /**
     * @param count channels.
     * @return their names, index i named ch-i.
     */
    static UnsafeBuffer[] channelNames(final int count)
    {
        final UnsafeBuffer[] names = new UnsafeBuffer[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = new UnsafeBuffer(("ch-" + i).getBytes(StandardCharsets.US_ASCII));
        }
        return names;
    }

    static int channelIndex(final DirectBuffer name)
    {
        final int length = name.capacity();
        if (length <= CHANNEL_PREFIX.length || length > CHANNEL_PREFIX.length + 9)
        {
            return -1;
        }
        for (int i = 0; i < CHANNEL_PREFIX.length; i++)
        {
            if (name.getByte(i) != CHANNEL_PREFIX[i])
            {
                return -1;
            }
        }
        int index = 0;
        for (int i = CHANNEL_PREFIX.length; i < length; i++)
        {
            final int digit = name.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            index = index * 10 + digit;
        }
        return index;
    }

    /**
     * Subscribes to every channel, then counts events and checks seq per channel until stopped.
     */
    static final class Subscriber implements Runnable, BenchGateway.Listener, AutoCloseable
    {
        private final BenchGateway gateway;
        private final UnsafeBuffer[] channels;
        private final long[] lastSeq;
        private final IdleStrategy idle;
        private final AtomicLong deliveredCount = new AtomicLong();
        private final AtomicLong gapCount = new AtomicLong();
        private volatile boolean running = true;
        private int subscribed;
        private long delivered;
        private long gaps;
        private long duplicates;
        private long unknown;

        Subscriber(
            final Aeron aeron,
            final int nodeId,
            final int hostId,
            final int hostTermLength,
            final String listenChannel,
            final UnsafeBuffer[] channels,
            final IdleStrategy idle)
        {
            this.gateway = new BenchGateway(
                aeron, nodeId, listenChannel, hostId, "aeron:ipc", 1000, hostTermLength, this);
            this.channels = channels;
            this.lastSeq = new long[channels.length];
            this.idle = idle;
        }

        /**
         * Subscribe to every channel and wait for every Subscribed, on the caller's thread before {@link #run}.
         *
         * @param timeoutMs how long to try.
         */
        void subscribeAll(final long timeoutMs)
        {
            if (!gateway.awaitHost(timeoutMs, idle))
            {
                throw new IllegalStateException("channel host not reachable");
            }
            final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
            for (final UnsafeBuffer channel : channels)
            {
                while (gateway.subscribe(channel, 0, channel.capacity()) < 0)
                {
                    checkDeadline(deadlineNs);
                    idle.idle(gateway.poll());
                }
                gateway.poll();
            }
            while (subscribed < channels.length)
            {
                checkDeadline(deadlineNs);
                idle.idle(gateway.poll());
            }
        }

        public void run()
        {
            while (running)
            {
                final int work = gateway.poll();
                if (work > 0)
                {
                    deliveredCount.lazySet(delivered);
                }
                idle.idle(work);
            }
            deliveredCount.set(delivered);
        }

        public void onChannelEvent(final DirectBuffer channel, final long seq, final long epoch, final DirectBuffer payload)
        {
            final int index = channelIndex(channel);
            if (index < 0 || index >= lastSeq.length)
            {
                unknown++;
                return;
            }
            final long expected = lastSeq[index] + 1;
            if (seq > expected)
            {
                gaps += seq - expected;
                gapCount.lazySet(gaps);
            }
            else if (seq < expected)
            {
                duplicates++;
            }
            lastSeq[index] = Math.max(seq, lastSeq[index]);
            delivered++;
        }

        public void onPublishAck(final long correlationId, final long seq)
        {
        }

        public void onSubscribed(final long correlationId, final DirectBuffer channel, final long seq)
        {
            final int index = channelIndex(channel);
            if (index >= 0 && index < lastSeq.length)
            {
                lastSeq[index] = seq;
                subscribed++;
            }
        }

        long delivered()
        {
            return deliveredCount.get();
        }

        long gaps()
        {
            return gapCount.get();
        }

        /**
         * @return events whose seq was not above the last one seen (read after the thread stopped).
         */
        long duplicates()
        {
            return duplicates + unknown;
        }

        void stop()
        {
            running = false;
        }

        long heartbeatsRefused()
        {
            return gateway.heartbeatsRefused();
        }

        public void close()
        {
            gateway.close();
        }
    }

    /**
     * Publishes round-robin over the channels as fast as back-pressure allows, polling for acks all the while.
     */
    static final class Publisher implements Runnable, BenchGateway.Listener, AutoCloseable
    {
        private final BenchGateway gateway;
        private final UnsafeBuffer[] channels;
        private final UnsafeBuffer payload;
        private final int payloadLength;
        private final IdleStrategy idle;
        private final AtomicLong publishedCount = new AtomicLong();
        private final AtomicLong ackedCount = new AtomicLong();
        private volatile boolean publishing = true;
        private volatile boolean running = true;
        private volatile boolean stoppedPublishing;
        private int next;
        private long published;
        private long acked;
        private long backPressured;

        Publisher(
            final Aeron aeron,
            final int nodeId,
            final int hostId,
            final int hostTermLength,
            final String listenChannel,
            final UnsafeBuffer[] channels,
            final int firstChannel,
            final int payloadLength,
            final IdleStrategy idle)
        {
            this.gateway = new BenchGateway(
                aeron, nodeId, listenChannel, hostId, "aeron:ipc", 1000, hostTermLength, this);
            this.channels = channels;
            this.next = firstChannel % channels.length;
            this.payloadLength = payloadLength;
            this.payload = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(64, payloadLength), 64));
            for (int i = 0; i < payloadLength; i++)
            {
                payload.putByte(i, (byte)('a' + i % 26));
            }
            this.idle = idle;
        }

        void awaitHost(final long timeoutMs)
        {
            if (!gateway.awaitHost(timeoutMs, idle))
            {
                throw new IllegalStateException("channel host not reachable");
            }
        }

        public void run()
        {
            while (publishing)
            {
                final long result = gateway.publish(channels[next], USER, payload, payloadLength);
                int work = 0;
                if (result > 0)
                {
                    work = 1;
                    published++;
                    publishedCount.lazySet(published);
                    if (++next == channels.length)
                    {
                        next = 0;
                    }
                }
                else if (AeronThroughput.isFatal(result))
                {
                    throw new IllegalStateException("publication failed: " + result);
                }
                else
                {
                    backPressured++;
                }
                work += gateway.poll();
                idle.idle(work);
            }
            publishedCount.set(published);
            stoppedPublishing = true;

            while (running)
            {
                idle.idle(gateway.poll());
            }
        }

        public void onChannelEvent(final DirectBuffer channel, final long seq, final long epoch, final DirectBuffer payload)
        {
        }

        public void onPublishAck(final long correlationId, final long seq)
        {
            acked++;
            ackedCount.lazySet(acked);
        }

        public void onSubscribed(final long correlationId, final DirectBuffer channel, final long seq)
        {
        }

        long published()
        {
            return publishedCount.get();
        }

        long acked()
        {
            return ackedCount.get();
        }

        long backPressured()
        {
            return backPressured;
        }

        /**
         * Stop publishing; keep polling for the acks still in flight until {@link #shutdown()}.
         */
        void stop()
        {
            publishing = false;
        }

        boolean stoppedPublishing()
        {
            return stoppedPublishing;
        }

        long heartbeatsRefused()
        {
            return gateway.heartbeatsRefused();
        }

        void shutdown()
        {
            publishing = false;
            running = false;
        }

        public void close()
        {
            gateway.close();
        }
    }

    private static void checkDeadline(final long deadlineNs)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException("timed out subscribing");
        }
    }
}
