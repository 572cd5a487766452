package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.gateway.GatewayMetrics;

/**
 * Encode once, write many: one encoded frame goes to every local subscriber of a channel as retained duplicates of
 * the same buffer. The core hands each event loop one task per event holding that loop's sessions, so a loop wakes
 * once per event however many of its sessions receive it, and flushes are consolidated on the channel.
 * <p>
 * A session whose outbound buffer is past the high-water mark is a slow consumer: it is closed with 4013 instead
 * of queueing more, so the others keep their latency.
 * <p>
 * Thread-safety: {@link #send} runs on the core's thread; the tasks run on the event loops and read only the
 * immutable session arrays they were given.
 */
final class FanOut
{
    private final EventLoop[] loops;
    private final GatewayMetrics metrics;

    FanOut(final EventLoop[] loops, final GatewayMetrics metrics)
    {
        this.loops = loops;
        this.metrics = metrics;
    }

    int loopCount()
    {
        return loops.length;
    }

    /**
     * @param sessionsByLoop  sessions per event loop index, arrays never modified after publication.
     * @param frame           the encoded frame; released by this call.
     * @param excludedSession session id not to write to (the sender of a transient), or -1.
     * @param publishedNs     publish timestamp (epoch ns) to record delivery latency from, or 0.
     */
    void send(
        final GatewaySession[][] sessionsByLoop,
        final ByteBuf frame,
        final long excludedSession,
        final long publishedNs)
    {
        try
        {
            for (int i = 0; i < sessionsByLoop.length; i++)
            {
                final GatewaySession[] sessions = sessionsByLoop[i];
                if (null != sessions && sessions.length > 0)
                {
                    loops[i].execute(new LoopWrite(sessions, frame.retain(), excludedSession, publishedNs, metrics));
                }
            }
        }
        finally
        {
            frame.release();
        }
    }

    private static final class LoopWrite implements Runnable
    {
        private final GatewaySession[] sessions;
        private final ByteBuf frame;
        private final long excludedSession;
        private final long publishedNs;
        private final GatewayMetrics metrics;

        LoopWrite(
            final GatewaySession[] sessions,
            final ByteBuf frame,
            final long excludedSession,
            final long publishedNs,
            final GatewayMetrics metrics)
        {
            this.sessions = sessions;
            this.frame = frame;
            this.excludedSession = excludedSession;
            this.publishedNs = publishedNs;
            this.metrics = metrics;
        }

        public void run()
        {
            int written = 0;
            try
            {
                for (final GatewaySession session : sessions)
                {
                    if (session.id() == excludedSession || session.isClosing())
                    {
                        continue;
                    }
                    final Channel channel = session.channel();
                    if (!channel.isActive())
                    {
                        continue;
                    }
                    if (!channel.isWritable())
                    {
                        session.closeSlowConsumer();
                        continue;
                    }
                    channel.write(new TextWebSocketFrame(frame.retainedDuplicate()), channel.voidPromise());
                    channel.flush();
                    written++;
                }
            }
            finally
            {
                frame.release();
            }
            if (written > 0)
            {
                metrics.framesOut(written);
                if (0 != publishedNs)
                {
                    metrics.delivered(EpochClock.nanos() - publishedNs);
                }
            }
        }
    }
}
