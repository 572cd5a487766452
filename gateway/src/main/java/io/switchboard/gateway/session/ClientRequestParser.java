package io.switchboard.gateway.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.gateway.GatewayContext;
import io.switchboard.gateway.json.Names;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one client text frame into a {@link ClientRequest}, checking everything a client controls: UTF-8, JSON
 * syntax, that the frame is an object with a string {@code type}, the type of every field, name lengths, list
 * sizes and payload size. Anything wrong becomes a {@link BadFrameException} carrying the error code and, when the
 * frame could be read that far, the request's ref.
 * <p>
 * Thread-safe: the mapper is shared and nothing else is kept.
 */
public final class ClientRequestParser
{
    /** Largest payload a host accepts. */
    public static final int MAX_PAYLOAD_BYTES = 65536;
    /** Channels one subscribe or unsubscribe may name. */
    public static final int MAX_CHANNELS_PER_REQUEST = 1000;
    /** Longest ref a client may attach. */
    public static final int MAX_REF_CHARS = 256;
    /** Longest transient TTL a client may ask for. */
    public static final int MAX_TTL_MS = 60_000;

    private static final byte[] NULL_JSON = "null".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;
    private final int maxWatchUsers;

    /**
     * @param mapper        shared JSON mapper.
     * @param maxWatchUsers users one presence.watch or presence.query may name.
     */
    public ClientRequestParser(final ObjectMapper mapper, final int maxWatchUsers)
    {
        this.mapper = mapper;
        this.maxWatchUsers = maxWatchUsers;
    }

    /**
     * @param frame content of a text frame; not released here.
     * @return the request.
     * @throws BadFrameException saying what is wrong.
     */
    public ClientRequest parse(final ByteBuf frame) throws BadFrameException
    {
        if (!ByteBufUtil.isText(frame, StandardCharsets.UTF_8))
        {
            throw new BadFrameException("bad_request", "the frame is not valid UTF-8", null);
        }
        final JsonNode tree;
        try
        {
            tree = mapper.readTree((java.io.InputStream)new ByteBufInputStream(frame.duplicate()));
        }
        catch (final JsonProcessingException ex)
        {
            throw new BadFrameException("bad_request", "malformed JSON: " + ex.getOriginalMessage(), null);
        }
        catch (final IOException ex)
        {
            throw new BadFrameException("bad_request", "malformed JSON", null);
        }
        if (null == tree || !tree.isObject())
        {
            throw new BadFrameException("bad_request", "a frame must be one JSON object", null);
        }

        final String ref = ref(tree);
        final JsonNode type = tree.get("type");
        if (null == type || !type.isTextual())
        {
            throw new BadFrameException("bad_request", "type must be a string", ref);
        }
        return switch (type.textValue())
        {
            case "subscribe" -> new ClientRequest.Subscribe(
                names(tree, "channels", 1, MAX_CHANNELS_PER_REQUEST, ref), ref);
            case "unsubscribe" -> new ClientRequest.Unsubscribe(
                names(tree, "channels", 1, MAX_CHANNELS_PER_REQUEST, ref));
            case "publish" -> new ClientRequest.Publish(
                name(tree, "channel", ref), optionalName(tree, "id", ref), data(tree, ref), ref);
            case "typing" -> new ClientRequest.Typing(name(tree, "channel", ref), ref);
            case "transient" -> new ClientRequest.Transient(name(tree, "channel", ref), name(tree, "event", ref),
                data(tree, ref), (int)optionalLong(tree, "ttlMs", 0, 1, MAX_TTL_MS, ref), ref);
            case "react" -> new ClientRequest.React(
                name(tree, "channel", ref), name(tree, "target", ref), name(tree, "emoji", ref), ref);
            case "presence.watch" -> new ClientRequest.Watch(names(tree, "users", 0, maxWatchUsers, ref));
            case "presence.query" -> new ClientRequest.Query(names(tree, "users", 1, maxWatchUsers, ref), ref);
            case "presence.set" -> new ClientRequest.SetStatus(status(tree, ref));
            case "history" -> new ClientRequest.History(
                name(tree, "channel", ref),
                optionalLong(tree, "since", 0, 0, Long.MAX_VALUE, ref),
                optionalLong(tree, "epoch", 0, 0, Long.MAX_VALUE, ref),
                (int)Math.min(GatewayContext.MAX_HISTORY_LIMIT,
                    optionalLong(tree, "limit", 100, 1, Integer.MAX_VALUE, ref)),
                ref);
            case "ping" -> new ClientRequest.Ping(ref);
            default -> throw new BadFrameException("unknown_type", "unknown type '" + shorten(type.textValue()) + "'",
                ref);
        };
    }

    private static String ref(final JsonNode tree) throws BadFrameException
    {
        final JsonNode ref = tree.get("ref");
        if (null == ref || ref.isNull())
        {
            return null;
        }
        if ((ref.isTextual() && ref.textValue().length() <= MAX_REF_CHARS) || ref.isIntegralNumber())
        {
            return ref.toString();
        }
        throw new BadFrameException("bad_request",
            "ref must be a string of at most " + MAX_REF_CHARS + " characters or an integer", null);
    }

    private static String name(final JsonNode tree, final String field, final String ref) throws BadFrameException
    {
        final JsonNode node = tree.get(field);
        if (null == node || !node.isTextual() || !Names.isValid(node.textValue()))
        {
            throw new BadFrameException("bad_request", field + " must be a string of 1 to " + Names.MAX_NAME_BYTES +
                " bytes without control characters", ref);
        }
        return node.textValue();
    }

    private static String optionalName(final JsonNode tree, final String field, final String ref)
        throws BadFrameException
    {
        final JsonNode node = tree.get(field);
        return null == node || node.isNull() ? null : name(tree, field, ref);
    }

    private static List<String> names(
        final JsonNode tree, final String field, final int min, final int max, final String ref)
        throws BadFrameException
    {
        final JsonNode node = tree.get(field);
        if (null == node || !node.isArray() || node.size() < min || node.size() > max)
        {
            throw new BadFrameException(null != node && node.isArray() && node.size() > max ? "too_large" :
                "bad_request", field + " must be an array of " + min + " to " + max + " names", ref);
        }
        final List<String> names = new ArrayList<>(node.size());
        for (final JsonNode element : node)
        {
            if (!element.isTextual() || !Names.isValid(element.textValue()))
            {
                throw new BadFrameException("bad_request", field + " must hold strings of 1 to " +
                    Names.MAX_NAME_BYTES + " bytes without control characters", ref);
            }
            if (!names.contains(element.textValue()))
            {
                names.add(element.textValue());
            }
        }
        return names;
    }

    private static long optionalLong(
        final JsonNode tree, final String field, final long defaultValue, final long min, final long max,
        final String ref) throws BadFrameException
    {
        final JsonNode node = tree.get(field);
        if (null == node || node.isNull())
        {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max)
        {
            throw new BadFrameException("bad_request", field + " must be an integer from " + min +
                (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "" : " to " + max), ref);
        }
        return node.longValue();
    }

    private byte[] data(final JsonNode tree, final String ref) throws BadFrameException
    {
        final JsonNode data = tree.get("data");
        if (null == data || data.getNodeType() == JsonNodeType.MISSING)
        {
            return NULL_JSON;
        }
        final byte[] bytes;
        try
        {
            bytes = mapper.writeValueAsBytes(data);
        }
        catch (final JsonProcessingException ex)
        {
            throw new BadFrameException("bad_request", "data cannot be encoded", ref);
        }
        if (bytes.length > MAX_PAYLOAD_BYTES)
        {
            throw new BadFrameException("too_large", "data must be at most " + MAX_PAYLOAD_BYTES + " bytes", ref);
        }
        return bytes;
    }

    private static PresenceStatus status(final JsonNode tree, final String ref) throws BadFrameException
    {
        final JsonNode node = tree.get("status");
        if (null != node && node.isTextual())
        {
            switch (node.textValue())
            {
                case "online":
                    return PresenceStatus.ONLINE;
                case "away":
                    return PresenceStatus.AWAY;
                default:
                    break;
            }
        }
        throw new BadFrameException("bad_request", "status must be \"online\" or \"away\"", ref);
    }

    private static String shorten(final String text)
    {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
