package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.switchboard.gateway.GatewayMetrics;

/**
 * Encode once, write many: one event becomes one whole WebSocket text frame (header and payload, encoded here
 * once), and every local subscriber gets a retained duplicate of it through its event loop's {@link LoopWriter}.
 * <p>
 * Server-to-client frames are never masked and the gateway negotiates no extensions, so the bytes of the frame are
 * the same for every subscriber and bypassing Netty's per-write frame encoder is exact.
 * <p>
 * A session whose outbound buffer stays past the high-water mark for the slow-consumer grace period (or grows past
 * four times the mark) is a slow consumer: it is closed with 4013 instead of queueing more, so the others keep their
 * latency.
 * <p>
 * Thread-safety: {@link #send} runs on the core's thread; the writers run on the event loops and read only the part
 * of the session arrays that never changes once given.
 */
final class FanOut
{
    private static final int OPCODE_TEXT_FIN = 0x81;
    private static final int SCANNED_SESSIONS_MAX = 16;

    private final LoopWriter[] writers;
    private final ByteBufAllocator allocator;

    /**
     * @param loops          the gateway's event loops.
     * @param metrics        where frames and latencies are counted.
     * @param allocator      where encoded frames come from.
     * @param slowGraceNs    how long a session may stay past the high-water mark before it is closed as slow.
     * @param hardLimitBytes outbound bytes past which a session is closed as slow at once.
     */
    FanOut(
        final EventLoop[] loops,
        final GatewayMetrics metrics,
        final ByteBufAllocator allocator,
        final long slowGraceNs,
        final long hardLimitBytes)
    {
        this.allocator = allocator;
        this.writers = new LoopWriter[loops.length];
        for (int i = 0; i < loops.length; i++)
        {
            writers[i] = new LoopWriter(loops[i], i, metrics, slowGraceNs, hardLimitBytes);
        }
    }

    /**
     * @param loopIndex index of an event loop.
     * @return the writer of that loop.
     */
    LoopWriter writer(final int loopIndex)
    {
        return writers[loopIndex];
    }

    /**
     * @param sessions        the channel's sessions, of every loop; the first {@code count} never change after this.
     * @param count           how many of them are the channel's sessions.
     * @param json            the frame's UTF-8 JSON; released by this call.
     * @param excludedSession session id not to write to (the sender of a transient), or -1.
     * @param publishedNs     publish timestamp (epoch ns) to record delivery latency from, or 0.
     */
    void send(
        final GatewaySession[] sessions,
        final int count,
        final ByteBuf json,
        final long excludedSession,
        final long publishedNs)
    {
        final ByteBuf frame;
        try
        {
            frame = encodeTextFrame(allocator, json);
        }
        finally
        {
            json.release();
        }
        try
        {
            final long loops = loopsOf(sessions, count);
            for (int i = 0; i < writers.length; i++)
            {
                if (i >= Long.SIZE || (loops & (1L << i)) != 0)
                {
                    writers[i].offer(sessions, count, frame.retain(), excludedSession, publishedNs);
                }
            }
        }
        finally
        {
            frame.release();
        }
    }

    /**
     * Each loop's writer picks its own sessions out of the channel's array, so no per-loop arrays are kept per
     * channel; this only decides which loops to wake.
     *
     * @return a bit per event loop that has a session in the array (all bits for a large channel).
     */
    private long loopsOf(final GatewaySession[] sessions, final int count)
    {
        if (count > SCANNED_SESSIONS_MAX)
        {
            // A large channel nearly always spans every loop: a loop without sessions in it scans and writes nothing.
            return -1L;
        }
        long loops = 0;
        for (int i = 0; i < count; i++)
        {
            loops |= 1L << sessions[i].loopIndex();
        }
        return loops;
    }

    /**
     * Encode an unmasked, final WebSocket text frame (RFC 6455 section 5.2).
     *
     * @param allocator where the frame's buffer comes from.
     * @param payload   UTF-8 text; not released.
     * @return header and payload in one buffer.
     */
    static ByteBuf encodeTextFrame(final ByteBufAllocator allocator, final ByteBuf payload)
    {
        final int length = payload.readableBytes();
        final int headerLength = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        final ByteBuf frame = allocator.directBuffer(headerLength + length);
        frame.writeByte(OPCODE_TEXT_FIN);
        if (length <= 125)
        {
            frame.writeByte(length);
        }
        else if (length <= 0xFFFF)
        {
            frame.writeByte(126).writeShort(length);
        }
        else
        {
            frame.writeByte(127).writeLong(length);
        }
        frame.writeBytes(payload, payload.readerIndex(), length);
        return frame;
    }
}
