package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.switchboard.codecs.BooleanType;
import io.switchboard.codecs.HistoryResponseDecoder;
import io.switchboard.gateway.json.JsonPayloads;
import io.switchboard.gateway.json.JsonWriter;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * Builds the server-to-client frames of the client protocol (DESIGN.md, "Client protocol") as UTF-8 JSON in pooled
 * buffers, {@code type} first. A payload is embedded as raw JSON when it is one valid JSON value (everything
 * published through a gateway is), otherwise as a string, so no frame is ever invalid JSON.
 * <p>
 * Not thread-safe: one instance per thread (the core has one, each event loop shares one through
 * {@link #forCurrentThread()}; never one per connection, which would cost its buffers per connection).
 */
public final class ClientFrames
{
    private final ByteBufAllocator allocator;
    private final JsonWriter json = new JsonWriter();
    // Grown on first use to the largest payload seen: most threads that build frames never copy a payload.
    private byte[] scratch = new byte[0];

    private static final FastThreadLocal<ClientFrames> PER_THREAD = new FastThreadLocal<>()
    {
        protected ClientFrames initialValue()
        {
            return new ClientFrames(PooledByteBufAllocator.DEFAULT);
        }
    };

    /**
     * @return the calling thread's instance (for event loops), with pooled buffers.
     */
    public static ClientFrames forCurrentThread()
    {
        return PER_THREAD.get();
    }

    /**
     * @param allocator where frame buffers come from.
     */
    public ClientFrames(final ByteBufAllocator allocator)
    {
        this.allocator = allocator;
    }

    /**
     * @param user        the session's user.
     * @param sessionId   the session id.
     * @param gateway     this gateway's name.
     * @param region      this gateway's region.
     * @param channels    channels the session may use.
     * @param heartbeatMs server heartbeat period.
     * @return the hello frame.
     */
    public ByteBuf hello(
        final String user,
        final long sessionId,
        final String gateway,
        final String region,
        final Collection<String> channels,
        final long heartbeatMs)
    {
        start(256, "hello")
            .field("user", user)
            .field("session", Long.toString(sessionId))
            .field("gateway", gateway)
            .field("region", region);
        json.name("channels").startArray();
        for (final String channel : channels)
        {
            json.value(channel);
        }
        json.endArray().field("heartbeatMs", heartbeatMs);
        return end();
    }

    /**
     * @param code    error code.
     * @param message for people.
     * @param refJson the request's ref as JSON text, or null.
     * @param channel the channel concerned, or null.
     * @return the error frame.
     */
    public ByteBuf error(final String code, final String message, final String refJson, final String channel)
    {
        start(128, "error").field("code", code).field("message", message).name("ref").rawValue(refJson);
        if (null != channel)
        {
            json.field("channel", channel);
        }
        return end();
    }

    /**
     * @param refJson the ping's ref, or null.
     * @return the pong frame.
     */
    public ByteBuf pong(final String refJson)
    {
        start(64, "pong").name("ref").rawValue(refJson).field("ts", System.currentTimeMillis());
        return end();
    }

    /**
     * @param refJson   the publish's ref, or null.
     * @param channel   the channel.
     * @param seq       assigned seq.
     * @param epoch     the channel's epoch.
     * @param messageId the message id.
     * @return the ack frame.
     */
    public ByteBuf ack(
        final String refJson, final String channel, final long seq, final long epoch, final String messageId)
    {
        start(128, "ack").field("channel", channel).field("seq", seq).field("epoch", epoch).field("id", messageId)
            .name("ref").rawValue(refJson);
        return end();
    }

    /**
     * @param refJson  the subscribe's ref, or null when the gateway subscribed on its own.
     * @param channels where each subscription starts.
     * @return the subscribed frame.
     */
    public ByteBuf subscribed(final String refJson, final List<SubscribedChannel> channels)
    {
        start(64 + 64 * channels.size(), "subscribed").name("channels").startArray();
        for (final SubscribedChannel channel : channels)
        {
            json.startObject()
                .field("channel", channel.channel())
                .field("seq", channel.seq())
                .field("epoch", channel.epoch())
                .endObject();
        }
        json.endArray().name("ref").rawValue(refJson);
        return end();
    }

    /**
     * @param channel     the channel.
     * @param seq         its seq.
     * @param epoch       the channel's epoch.
     * @param messageId   the message id in UTF-8, the whole buffer (a view of the host's event).
     * @param user        the publisher, likewise.
     * @param timestampNs publish time.
     * @param payload     holding the payload.
     * @param length      of the payload.
     * @return the message frame.
     */
    public ByteBuf message(
        final String channel,
        final long seq,
        final long epoch,
        final DirectBuffer messageId,
        final DirectBuffer user,
        final long timestampNs,
        final byte[] payload,
        final int length)
    {
        start(160 + length, "message")
            .field("channel", channel)
            .field("seq", seq)
            .field("epoch", epoch)
            .field("id", messageId, 0, messageId.capacity())
            .field("user", user, 0, user.capacity())
            .field("ts", timestampNs / 1_000_000L)
            .name("data");
        writeData(payload, length);
        return end();
    }

    /**
     * @param channel     the channel.
     * @param user        who is typing, in UTF-8: the whole buffer.
     * @param timestampNs when.
     * @return the typing frame.
     */
    public ByteBuf typing(final String channel, final DirectBuffer user, final long timestampNs)
    {
        start(96, "typing").field("channel", channel).field("user", user, 0, user.capacity())
            .field("ts", timestampNs / 1_000_000L);
        return end();
    }

    /**
     * @param channel     the channel.
     * @param user        the sender, in UTF-8: the whole buffer.
     * @param event       the event name, likewise.
     * @param timestampNs when.
     * @param payload     holding the payload.
     * @param length      of the payload.
     * @return the transient frame.
     */
    public ByteBuf transientEvent(
        final String channel,
        final DirectBuffer user,
        final DirectBuffer event,
        final long timestampNs,
        final byte[] payload,
        final int length)
    {
        start(128 + length, "transient")
            .field("channel", channel)
            .field("user", user, 0, user.capacity())
            .field("event", event, 0, event.capacity())
            .field("ts", timestampNs / 1_000_000L)
            .name("data");
        writeData(payload, length);
        return end();
    }

    /**
     * @param channel the channel.
     * @param target  what was reacted to.
     * @param emoji   emoji of the window.
     * @param counts  count per emoji, same order.
     * @return the reactions frame.
     */
    public ByteBuf reactions(final String channel, final String target, final List<String> emoji, final long[] counts)
    {
        start(96 + 24 * emoji.size(), "reactions").field("channel", channel).field("target", target)
            .name("counts").startObject();
        for (int i = 0; i < emoji.size(); i++)
        {
            json.field(emoji.get(i), counts[i]);
        }
        json.endObject();
        return end();
    }

    /**
     * @param updates changed statuses.
     * @return the presence frame.
     */
    public ByteBuf presence(final List<UserStatus> updates)
    {
        start(64 + 48 * updates.size(), "presence");
        writeUpdates(updates);
        return end();
    }

    /**
     * @param refJson the query's ref, or null.
     * @param updates status of every user asked about.
     * @return the presence.result frame.
     */
    public ByteBuf presenceResult(final String refJson, final List<UserStatus> updates)
    {
        start(64 + 48 * updates.size(), "presence.result");
        writeUpdates(updates);
        json.name("ref").rawValue(refJson);
        return end();
    }

    /**
     * A presence answer without type, for the HTTP API.
     *
     * @param updates status of every user asked about.
     * @return the JSON body.
     */
    public ByteBuf presenceBody(final List<UserStatus> updates)
    {
        json.wrap(allocator.buffer(64 + 48 * updates.size())).startObject();
        writeUpdates(updates);
        return end();
    }

    /**
     * @param refJson  the request's ref, or null.
     * @param withType true for a client frame, false for an HTTP body.
     * @param decoder  wrapped over a HistoryResponse, nothing read past the header.
     * @return the history frame or body.
     */
    public ByteBuf history(final String refJson, final boolean withType, final HistoryResponseDecoder decoder)
    {
        if (withType)
        {
            start(256, "history");
        }
        else
        {
            json.wrap(allocator.buffer(256)).startObject();
        }
        final long epoch = decoder.epoch();
        final long lastSeq = decoder.lastSeq();
        final boolean complete = decoder.complete() == BooleanType.TRUE;
        json.field("epoch", epoch).field("lastSeq", lastSeq).field("complete", complete).name("messages").startArray();
        for (final HistoryResponseDecoder.MessagesDecoder message : decoder.messages())
        {
            final long seq = message.seq();
            final long timestampNs = message.timestampNs();
            final String user = message.user();
            final String messageId = message.messageId();
            final int length = message.payloadLength();
            message.getPayload(scratch(length), 0, length);
            json.startObject()
                .field("seq", seq)
                .field("id", messageId)
                .field("user", user)
                .field("ts", timestampNs / 1_000_000L)
                .name("data");
            writeData(scratch, length);
            json.endObject();
        }
        json.endArray().field("channel", decoder.channel());
        if (withType)
        {
            json.name("ref").rawValue(refJson);
        }
        return end();
    }

    /**
     * @param reason        why.
     * @param reconnectInMs when to reconnect.
     * @param url           where to reconnect, or null for the same address.
     * @return the drain frame.
     */
    public ByteBuf drain(final String reason, final long reconnectInMs, final String url)
    {
        start(128, "drain").field("reason", reason).field("reconnectInMs", reconnectInMs).field("url", url);
        return end();
    }

    /**
     * @param length bytes needed.
     * @return the scratch array, grown when needed; for copying payloads out of SBE messages.
     */
    public byte[] scratch(final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[length];
        }
        return scratch;
    }

    private JsonWriter start(final int capacity, final String type)
    {
        return json.wrap(allocator.buffer(capacity)).startObject().field("type", type);
    }

    private ByteBuf end()
    {
        json.endObject();
        return json.buffer();
    }

    private void writeUpdates(final List<UserStatus> updates)
    {
        json.name("updates").startArray();
        for (final UserStatus update : updates)
        {
            json.startObject().field("user", update.user()).field("status", update.status()).endObject();
        }
        json.endArray();
    }

    private void writeData(final byte[] payload, final int length)
    {
        if (0 == length)
        {
            json.nullValue();
        }
        else if (JsonPayloads.isValid(payload, 0, length))
        {
            json.rawValue(payload, 0, length);
        }
        else
        {
            json.value(new String(payload, 0, length, StandardCharsets.UTF_8));
        }
    }

    /**
     * Where one channel's subscription starts.
     *
     * @param channel the channel.
     * @param seq     last seq the channel had assigned.
     * @param epoch   the channel's epoch.
     */
    public record SubscribedChannel(String channel, long seq, long epoch)
    {
    }
}
