package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Switchboard's JSON protocol: the token (from {@code POST /api/tokens}) names the channels and the gateway
 * subscribes the session to all of them; the connection is ready at {@code subscribed}.
 * <p>
 * Thread-safety: immutable after construction; the token map is filled before any connection opens.
 */
final class SwitchboardWire implements Wire
{
    private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf TYPE_BUF = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(TYPE));

    private final String wsUrl;
    private final Map<String, String> tokens;

    SwitchboardWire(final String wsUrl, final Map<String, String> tokens)
    {
        this.wsUrl = wsUrl;
        this.tokens = tokens;
    }

    public String url(final String user, final List<String> channels)
    {
        return wsUrl + "?token=" + tokens.get(user);
    }

    public List<ByteBuf> onOpen(final ByteBufAllocator alloc, final List<String> channels)
    {
        return List.of();
    }

    public ByteBuf publish(final ByteBufAllocator alloc, final String channel, final CharSequence data)
    {
        final ByteBuf buf = alloc.buffer(48 + channel.length() + data.length());
        buf.writeCharSequence("{\"type\":\"publish\",\"channel\":\"", StandardCharsets.US_ASCII);
        buf.writeCharSequence(channel, StandardCharsets.US_ASCII);
        buf.writeCharSequence("\",\"data\":\"", StandardCharsets.US_ASCII);
        buf.writeCharSequence(data, StandardCharsets.US_ASCII);
        buf.writeCharSequence("\"}", StandardCharsets.US_ASCII);
        return buf;
    }

    public Kind classify(final ByteBuf content)
    {
        final int start = content.readerIndex();
        if (content.readableBytes() < TYPE.length + 2 || !startsWith(content, start, TYPE))
        {
            return Kind.OTHER;
        }
        final int at = start + TYPE.length;
        return switch (content.getByte(at))
        {
            case 'm' -> Kind.DATA;
            case 'p' -> 'r' == content.getByte(at + 1) ? Kind.DATA : Kind.OTHER; // presence, not pong
            case 's' -> 's' == content.getByte(at + 1) ? Kind.OTHER : Kind.READY; // subscribed (not "ss")
            case 'e' -> Kind.ERROR;
            default -> Kind.OTHER;
        };
    }

    public ByteBuf heartbeat(final ByteBufAllocator alloc)
    {
        final ByteBuf buf = alloc.buffer(16);
        buf.writeCharSequence("{\"type\":\"ping\"}", StandardCharsets.US_ASCII);
        return buf;
    }

    public ByteBuf pong(final ByteBufAllocator alloc)
    {
        return null;
    }

    private static boolean startsWith(final ByteBuf buf, final int at, final byte[] prefix)
    {
        return ByteBufUtil.equals(buf, at, TYPE_BUF, 0, prefix.length);
    }
}
