package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.gateway.GatewayMetrics;

import org.agrona.collections.Hashing;
import org.agrona.collections.ObjectHashSet;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client connection: its identity, its socket, and the protocol state the gateway core keeps for it (allowed
 * channels, subscriptions, presence viewport).
 * <p>
 * Thread-safety: identity and {@link #send}/{@link #close} may be used from any thread (Netty queues writes to the
 * channel's event loop). The protocol state (package-private fields) belongs to the gateway core's thread alone.
 */
public final class GatewaySession
{
    /** Close code: bad or expired token. */
    public static final int CLOSE_BAD_TOKEN = 4001;
    /** Close code: the session kept flooding after rate_limited. */
    public static final int CLOSE_FLOODING = 4008;
    /** Close code: the client does not read fast enough. */
    public static final int CLOSE_SLOW_CONSUMER = 4013;
    /** Close code: a frame larger than allowed. */
    public static final int CLOSE_TOO_LARGE = 1009;
    /** Close code: drained, idle or the gateway is going away. */
    public static final int CLOSE_GOING_AWAY = 1001;
    /** Close code: the gateway cannot serve this connection (connect proxy failed). */
    public static final int CLOSE_TRY_AGAIN_LATER = 1013;

    private final long id;
    private final String user;
    private final Channel channel;
    private final int loopIndex;
    private final GatewayMetrics metrics;
    private volatile boolean closing;
    private volatile LoopWriter writer;
    private ChannelHandlerContext frameWriter;
    /** Owned by the session's event loop: the session is in its loop writer's flush list. */
    boolean flushPending;
    /** Owned by the session's event loop: when its writes were first refused, or 0 while it keeps up. */
    long unwritableSinceNs;

    // A session may hold thousands of channels (10,000 with a dev token): open-addressing sets cost a reference slot
    // per name instead of a HashMap entry object each. Allocating iterators, so walks over them can nest.
    final Set<String> allowed = new ObjectHashSet<>(8, Hashing.DEFAULT_LOAD_FACTOR, false);
    final Set<String> subscribed = new ObjectHashSet<>(8, Hashing.DEFAULT_LOAD_FACTOR, false);
    Set<String> viewport = new LinkedHashSet<>();
    boolean registered;
    boolean closed;
    long messageCounter;

    /**
     * @param id        unique on this gateway; also the transient origin id sent to hosts.
     * @param user      the authenticated user.
     * @param channel   the WebSocket connection.
     * @param loopIndex index of the channel's event loop among the gateway's loops.
     * @param metrics   where frames and closes are counted.
     */
    public GatewaySession(
        final long id, final String user, final Channel channel, final int loopIndex, final GatewayMetrics metrics)
    {
        this.id = id;
        this.user = user;
        this.channel = channel;
        this.loopIndex = loopIndex;
        this.metrics = metrics;
    }

    /** @return session id. */
    public long id()
    {
        return id;
    }

    /** @return the user. */
    public String user()
    {
        return user;
    }

    /** @return the connection. */
    public Channel channel()
    {
        return channel;
    }

    /** @return index of the connection's event loop. */
    public int loopIndex()
    {
        return loopIndex;
    }

    /**
     * Write one text frame and flush. Off the session's event loop (the core), the frame queues behind the channel
     * events already queued for this session, so the core's order is the client's order.
     *
     * @param json the frame's UTF-8 JSON; ownership passes to this call.
     */
    public void send(final ByteBuf json)
    {
        if (closing || !channel.isActive())
        {
            json.release();
            return;
        }
        final LoopWriter loopWriter = writer;
        if (null != loopWriter && !channel.eventLoop().inEventLoop())
        {
            loopWriter.offerSingle(this, json);
            return;
        }
        metrics.frameOut();
        channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
    }

    void writer(final LoopWriter writer)
    {
        this.writer = writer;
    }

    /**
     * Set by the session's event loop once the WebSocket handshake is done, before the session is registered.
     *
     * @param context the context of the pipeline's WebSocket frame encoder: pre-encoded frames are written from it,
     *                so they skip the encoder and the handlers behind it.
     */
    public void frameWriter(final ChannelHandlerContext context)
    {
        this.frameWriter = context;
    }

    /**
     * @return the context to write pre-encoded frames from, or null before the handshake; event loop only.
     */
    ChannelHandlerContext frameWriter()
    {
        return frameWriter;
    }

    /**
     * Send a close frame with the code, then close the connection once it is written.
     *
     * @param code   WebSocket close code.
     * @param reason for the client.
     */
    public void close(final int code, final String reason)
    {
        if (closing)
        {
            return;
        }
        closing = true;
        closeChannel(channel, code, reason);
    }

    /**
     * Close at once a client that does not read: its close frame would only queue behind what it does not read.
     */
    public void closeSlowConsumer()
    {
        if (closing)
        {
            return;
        }
        closing = true;
        metrics.slowConsumerClosed();
        channel.writeAndFlush(new CloseWebSocketFrame(CLOSE_SLOW_CONSUMER, "slow consumer"));
        // Reset rather than close: the megabytes queued in the kernel for a client that does not read are
        // freed at once, and the client learns now instead of after reading all of it.
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
    }

    /**
     * @return true once a close was started.
     */
    public boolean isClosing()
    {
        return closing;
    }

    /**
     * @param channel a WebSocket connection.
     * @param code    close code.
     * @param reason  for the client.
     */
    public static void closeChannel(final Channel channel, final int code, final String reason)
    {
        channel.writeAndFlush(new CloseWebSocketFrame(code, shorten(reason))).addListener(ChannelFutureListener.CLOSE);
    }

    private static String shorten(final String reason)
    {
        // A close frame's reason is at most 123 bytes of UTF-8.
        String text = null == reason ? "" : reason;
        while (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123)
        {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /**
     * @return a description for logs.
     */
    public String toString()
    {
        return "session " + id + " (" + user + ")";
    }
}
