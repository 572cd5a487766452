package io.switchboard.gateway.core;

import io.switchboard.codecs.HistoryResponseDecoder;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Bounds the history requests a gateway has in flight. A history answer can be a hundred KiB; when every client of
 * a drained gateway resumes at once, unbounded requests would overrun the hosts' streams back to this gateway and
 * answers would be lost to back-pressure. Requests past the bound wait in order; past the queue's bound they fail
 * with unavailable at once.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class HistoryThrottle
{
    private final int maxInFlight;
    private final int maxQueued;
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private int inFlight;

    HistoryThrottle(final int maxInFlight, final int maxQueued)
    {
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    /**
     * @param origin where the answer goes.
     * @param frames encoder for an immediate refusal.
     * @param send   sends the request with the origin it must answer to.
     */
    void submit(final RequestOrigin origin, final ClientFrames frames, final Consumer<RequestOrigin> send)
    {
        if (inFlight < maxInFlight)
        {
            inFlight++;
            send.accept(new Slot(origin));
        }
        else if (queued.size() < maxQueued)
        {
            queued.addLast(() -> send.accept(new Slot(origin)));
        }
        else
        {
            origin.onError(frames, "unavailable", "too many history requests waiting; retry later", null);
        }
    }

    int inFlight()
    {
        return inFlight;
    }

    private void release()
    {
        final Runnable next = queued.pollFirst();
        if (null == next)
        {
            inFlight--;
        }
        else
        {
            next.run();
        }
    }

    private final class Slot implements RequestOrigin
    {
        private final RequestOrigin origin;
        private boolean released;

        Slot(final RequestOrigin origin)
        {
            this.origin = origin;
        }

        public void onAck(
            final ClientFrames frames, final String channel, final long seq, final long epoch, final String messageId)
        {
            origin.onAck(frames, channel, seq, epoch, messageId);
            done();
        }

        public void onHistory(final ClientFrames frames, final HistoryResponseDecoder decoder)
        {
            origin.onHistory(frames, decoder);
            done();
        }

        public void onPresence(final ClientFrames frames, final List<UserStatus> updates)
        {
            origin.onPresence(frames, updates);
            done();
        }

        public void onError(final ClientFrames frames, final String code, final String message, final String channel)
        {
            origin.onError(frames, code, message, channel);
            done();
        }

        private void done()
        {
            if (!released)
            {
                released = true;
                release();
            }
        }
    }
}
