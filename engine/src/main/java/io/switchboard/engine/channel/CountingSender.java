package io.switchboard.engine.channel;

import io.switchboard.engine.OutboundSink;
import org.agrona.DirectBuffer;

/**
 * An {@link OutboundSink} front that counts failed sends by result code, so a shard never blocks or throws on a
 * slow or missing peer but the transport can surface what was lost.
 * <p>
 * Not thread-safe: owned by one shard thread.
 */
final class CountingSender
{
    private final OutboundSink sink;
    private final long[] failures = new long[-OutboundSink.TOO_LARGE + 1];

    CountingSender(final OutboundSink sink)
    {
        this.sink = sink;
    }

    /**
     * @return 1 when the sink accepted the message, 0 when it failed (and the failure was counted).
     */
    int send(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int result = sink.send(nodeId, buffer, offset, length);
        if (OutboundSink.SENT == result)
        {
            return 1;
        }

        failures[index(result)]++;
        return 0;
    }

    /**
     * @param sinkResult a negative {@link OutboundSink} result code.
     * @return sends that failed with it; codes the sink does not define are counted together under any of them.
     */
    long failures(final int sinkResult)
    {
        return failures[index(sinkResult)];
    }

    private static int index(final int sinkResult)
    {
        return sinkResult < 0 && sinkResult >= OutboundSink.TOO_LARGE ? -sinkResult : 0;
    }
}
