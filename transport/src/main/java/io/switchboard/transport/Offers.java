package io.switchboard.transport;

import io.aeron.Publication;
import io.switchboard.engine.OutboundSink;
import org.agrona.DirectBuffer;

/**
 * Offering with every Aeron result handled: BACK_PRESSURED and ADMIN_ACTION are retried within a time bound and
 * counted; NOT_CONNECTED, CLOSED and MAX_POSITION_EXCEEDED are counted and reported to the caller, who decides
 * what the failure means (an error to a publisher, a gap a gateway repairs from history).
 * <p>
 * Thread-safe for concurrent publications.
 */
public final class Offers
{
    private Offers()
    {
    }

    /**
     * @param publication to offer to.
     * @param buffer      holding the message.
     * @param offset      of the message.
     * @param length      of the message.
     * @param timeoutNs   how long back-pressure is retried.
     * @param counters    where outcomes are counted.
     * @return {@link OutboundSink#SENT}, {@link OutboundSink#NOT_CONNECTED}, {@link OutboundSink#BACK_PRESSURED}
     * or {@link OutboundSink#TOO_LARGE}.
     */
    public static int offer(
        final Publication publication,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long timeoutNs,
        final TransportCounters counters)
    {
        if (length > publication.maxMessageLength())
        {
            counters.offerTooLarge.increment();
            return OutboundSink.TOO_LARGE;
        }

        long deadlineNs = 0;
        while (true)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                return OutboundSink.SENT;
            }

            if (Publication.BACK_PRESSURED == result || Publication.ADMIN_ACTION == result)
            {
                final long nowNs = System.nanoTime();
                if (0 == deadlineNs)
                {
                    deadlineNs = nowNs + timeoutNs;
                }
                else if (nowNs - deadlineNs >= 0)
                {
                    counters.offerBackPressureFailures.increment();
                    return OutboundSink.BACK_PRESSURED;
                }
                counters.offerRetries.increment();
                Thread.yield();
                continue;
            }

            if (Publication.NOT_CONNECTED == result)
            {
                counters.offerNotConnected.increment();
            }
            else
            {
                counters.offerClosed.increment();
            }
            return OutboundSink.NOT_CONNECTED;
        }
    }
}
