package io.switchboard.gateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;

/**
 * Checks that a payload from a host is exactly one JSON value before it is embedded raw in a client frame. Payloads
 * published through a gateway always are; an integrator's Java client may send any bytes, and those must never make
 * a frame that browsers cannot parse.
 * <p>
 * Thread-safe: the factory is shared and parsers are per call.
 */
public final class JsonPayloads
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private JsonPayloads()
    {
    }

    /**
     * @return true when the bytes are one complete JSON value in valid UTF-8 (strings are decoded to check it).
     *
     * @param bytes  holding the payload.
     * @param offset of the first byte.
     * @param length in bytes.
     */
    public static boolean isValid(final byte[] bytes, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        try (JsonParser parser = FACTORY.createParser(bytes, offset, length))
        {
            int depth = 0;
            JsonToken token = parser.nextToken();
            if (null == token)
            {
                return false;
            }
            while (null != token)
            {
                if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME)
                {
                    parser.getText();
                }
                if (token.isStructStart())
                {
                    depth++;
                }
                else if (token.isStructEnd())
                {
                    depth--;
                }
                token = parser.nextToken();
                if (0 == depth && null != token)
                {
                    return false;
                }
            }
            return 0 == depth;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }
}
