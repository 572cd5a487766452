package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * NATS's text protocol over WebSocket: {@code CONNECT}, one {@code SUB} per channel (subject = channel name) and a
 * {@code PING}; the connection is ready at the {@code PONG}, which NATS sends after it applied the SUBs.
 * <p>
 * Thread-safety: immutable.
 */
final class NatsWire implements Wire
{
    private final String wsUrl;

    NatsWire(final String wsUrl)
    {
        this.wsUrl = wsUrl;
    }

    public String url(final String user, final List<String> channels)
    {
        return wsUrl;
    }

    public List<ByteBuf> onOpen(final ByteBufAllocator alloc, final List<String> channels)
    {
        final StringBuilder text = new StringBuilder(
            "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":true,\"lang\":\"java\",\"version\":\"1\"}\r\n");
        for (int i = 0; i < channels.size(); i++)
        {
            text.append("SUB ").append(channels.get(i)).append(' ').append(i + 1).append("\r\n");
        }
        text.append("PING\r\n");
        final List<ByteBuf> frames = new ArrayList<>(1);
        final ByteBuf buf = alloc.buffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        frames.add(buf);
        return frames;
    }

    public ByteBuf publish(final ByteBufAllocator alloc, final String channel, final CharSequence data)
    {
        final String length = Integer.toString(data.length());
        final ByteBuf buf = alloc.buffer(16 + channel.length() + data.length());
        buf.writeCharSequence("PUB ", StandardCharsets.US_ASCII);
        buf.writeCharSequence(channel, StandardCharsets.US_ASCII);
        buf.writeByte(' ');
        buf.writeCharSequence(length, StandardCharsets.US_ASCII);
        buf.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        buf.writeCharSequence(data, StandardCharsets.US_ASCII);
        buf.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        return buf;
    }

    public Kind classify(final ByteBuf content)
    {
        // NATS batches protocol lines into frames: a frame may hold many MSGs and a PING; stamps are scanned anyway.
        final int start = content.readerIndex();
        final int length = content.readableBytes();
        if (length >= 4)
        {
            final byte first = content.getByte(start);
            final byte second = content.getByte(start + 1);
            if ('-' == first)
            {
                return Kind.ERROR;
            }
            if ('P' == first && 'O' == second)
            {
                return Kind.READY;
            }
            if ('P' == first && 'I' == second)
            {
                return Kind.PING;
            }
        }
        return Kind.DATA;
    }

    public ByteBuf heartbeat(final ByteBufAllocator alloc)
    {
        final ByteBuf buf = alloc.buffer(16);
        buf.writeCharSequence("PING\r\n", StandardCharsets.US_ASCII);
        return buf;
    }

    public ByteBuf pong(final ByteBufAllocator alloc)
    {
        final ByteBuf buf = alloc.buffer(6);
        buf.writeCharSequence("PONG\r\n", StandardCharsets.US_ASCII);
        return buf;
    }
}
