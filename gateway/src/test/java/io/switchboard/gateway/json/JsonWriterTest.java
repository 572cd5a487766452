package io.switchboard.gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonWriterTest
{
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonWriter writer = new JsonWriter();

    @Test
    void shouldWriteNestedObjectsArraysAndRawValues() throws Exception
    {
        final ByteBuf out = Unpooled.buffer();
        final byte[] raw = "{\"x\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        writer.wrap(out).startObject()
            .field("type", "message")
            .field("seq", 42)
            .field("ok", true)
            .name("data").rawValue(raw, 0, raw.length)
            .name("ref").rawValue(null)
            .name("list").startArray().value("a").value(-7).startObject().endObject().endArray()
            .endObject();

        final JsonNode tree = mapper.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(tree.path("type").asText()).isEqualTo("message");
        assertThat(tree.path("seq").asLong()).isEqualTo(42);
        assertThat(tree.path("ok").asBoolean()).isTrue();
        assertThat(tree.path("data").path("x").get(1).asInt()).isEqualTo(2);
        assertThat(tree.path("ref").isNull()).isTrue();
        assertThat(tree.path("list")).hasSize(3);
    }

    @Test
    void shouldEscapeAnyStringIntoValidJson()
    {
        // Seeded random strings over all of UTF-16, lone surrogates included.
        final java.util.Random random = new java.util.Random(7);
        for (int example = 0; example < 5000; example++)
        {
            final char[] chars = new char[random.nextInt(64)];
            for (int i = 0; i < chars.length; i++)
            {
                chars[i] = random.nextInt(4) == 0 ? (char)random.nextInt(0x80) : (char)random.nextInt(0x10000);
            }
            final String text = new String(chars);
            final long number = random.nextLong();
            {
                final ByteBuf out = Unpooled.buffer();
                writer.wrap(out).startObject().field("k:" + text, text).field("n", number).endObject();
                final byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                assertThat(JsonPayloads.isValid(bytes, 0, bytes.length)).isTrue();
                final JsonNode tree;
                try
                {
                    tree = mapper.readTree(bytes);
                }
                catch (final Exception ex)
                {
                    throw new AssertionError(ex);
                }
                assertThat(tree.path("n").asLong()).isEqualTo(number);
                if (!hasLoneSurrogate(text))
                {
                    assertThat(tree.path("k:" + text).asText()).isEqualTo(text);
                }
            }
        }
    }

    @Test
    void shouldTellValidPayloadsFromInvalidOnes()
    {
        assertThat(valid("{\"a\":1}")).isTrue();
        assertThat(valid("\"text\"")).isTrue();
        assertThat(valid("12")).isTrue();
        assertThat(valid("{\"a\":1} {")).isFalse();
        assertThat(valid("{\"a\":")).isFalse();
        assertThat(valid("plain text")).isFalse();
        assertThat(valid("")).isFalse();
        final byte[] badUtf8 = { '"', (byte)0xFF, '"' };
        assertThat(JsonPayloads.isValid(badUtf8, 0, badUtf8.length)).isFalse();
    }

    private static boolean valid(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return JsonPayloads.isValid(bytes, 0, bytes.length);
    }

    private static boolean hasLoneSurrogate(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }
}
