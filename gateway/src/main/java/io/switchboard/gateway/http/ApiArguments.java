package io.switchboard.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.gateway.json.Names;
import io.switchboard.gateway.session.ClientRequestParser;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the arguments of HTTP API requests (JSON bodies and query parameters), refusing wrong types, invalid names
 * and out-of-range numbers with an {@link ApiException} that names the field.
 * <p>
 * Thread-safe (stateless).
 */
final class ApiArguments
{
    private ApiArguments()
    {
    }

    static JsonNode body(final ObjectMapper mapper, final FullHttpRequest request) throws ApiException
    {
        final JsonNode tree;
        try
        {
            tree = mapper.readTree((java.io.InputStream)new ByteBufInputStream(request.content().duplicate()));
        }
        catch (final Exception ex)
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "the body must be a JSON object");
        }
        if (null == tree || !tree.isObject())
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "the body must be a JSON object");
        }
        return tree;
    }

    static String name(final JsonNode body, final String field, final boolean required) throws ApiException
    {
        final JsonNode node = body.get(field);
        if (null == node || node.isNull())
        {
            if (required)
            {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", field + " is required");
            }
            return null;
        }
        if (!node.isTextual() || !Names.isValid(node.textValue()))
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                field + " must be a string of 1 to " + Names.MAX_NAME_BYTES + " bytes without control characters");
        }
        return node.textValue();
    }

    static List<String> names(final JsonNode body, final String field) throws ApiException
    {
        return names(body, field, ClientRequestParser.MAX_CHANNELS_PER_REQUEST);
    }

    static List<String> names(final JsonNode body, final String field, final int max) throws ApiException
    {
        final JsonNode node = body.get(field);
        if (null == node || node.isNull())
        {
            return new ArrayList<>();
        }
        if (!node.isArray())
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", field + " must be an array of names");
        }
        if (node.size() > max)
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                field + " holds " + node.size() + " names: at most " + max);
        }
        final Set<String> names = new LinkedHashSet<>();
        for (final JsonNode element : (ArrayNode)node)
        {
            if (!element.isTextual() || !Names.isValid(element.textValue()))
            {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    field + " must hold strings of 1 to " + Names.MAX_NAME_BYTES + " bytes");
            }
            names.add(element.textValue());
        }
        return new ArrayList<>(names);
    }

    static String parameter(final QueryStringDecoder query, final String name)
    {
        final List<String> values = query.parameters().get(name);
        return null == values || values.isEmpty() ? null : values.get(0);
    }

    static long number(final QueryStringDecoder query, final String name, final long defaultValue)
        throws ApiException
    {
        final String value = parameter(query, name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            final long number = Long.parseLong(value);
            if (number < 0)
            {
                throw new NumberFormatException();
            }
            return number;
        }
        catch (final NumberFormatException ex)
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", name + " must be an integer >= 0");
        }
    }

    static long optionalNumber(final JsonNode body, final String field) throws ApiException
    {
        final JsonNode node = body.get(field);
        if (null == node || node.isNull())
        {
            return -1;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0)
        {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", field + " must be an integer >= 0");
        }
        return node.longValue();
    }
}
