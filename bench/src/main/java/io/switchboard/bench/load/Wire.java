package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

/**
 * What a load client says to the server under test and how it recognises the answers: Switchboard's JSON protocol
 * or NATS's text protocol, both over WebSocket, so the same generator drives both.
 * <p>
 * Thread-safety: implementations are immutable and shared by all event loops.
 */
interface Wire
{
    /** What an inbound frame is, as far as the generator cares. */
    enum Kind
    {
        /** Subscriptions are in place: the connection counts as ready. */
        READY,
        /** Carries deliveries (scan it for stamps). */
        DATA,
        /** The server reports an error. */
        ERROR,
        /** The server pings: answer with {@link #pong}. */
        PING,
        /** Anything else (hello, acks, PONG of other pings). */
        OTHER
    }

    /**
     * @param user     who connects.
     * @param channels the channels it is a member of.
     * @return the WebSocket URL (with credentials) to connect to.
     */
    String url(String user, List<String> channels);

    /**
     * Frames to send when the handshake completes (NATS: CONNECT, SUB each channel, PING).
     *
     * @param alloc    allocator.
     * @param channels the connection's channels.
     * @return frames' payloads, possibly empty.
     */
    List<ByteBuf> onOpen(ByteBufAllocator alloc, List<String> channels);

    /**
     * @param alloc   allocator.
     * @param channel where to publish.
     * @param data    the payload text (ASCII, no quotes or backslashes).
     * @return the frame's payload.
     */
    ByteBuf publish(ByteBufAllocator alloc, String channel, CharSequence data);

    /**
     * @param content a received frame.
     * @return what it is.
     */
    Kind classify(ByteBuf content);

    /**
     * A client heartbeat, sent every {@link LoadClient#HEARTBEAT_MS}: a receive-only client must still send
     * something or a server's idle timeout closes it.
     *
     * @param alloc allocator.
     * @return the frame's payload.
     */
    ByteBuf heartbeat(ByteBufAllocator alloc);

    /**
     * @param alloc allocator.
     * @return the answer to a server ping, or null when none is due.
     */
    ByteBuf pong(ByteBufAllocator alloc);
}
