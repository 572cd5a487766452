package io.switchboard.gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.gateway.support.Texts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

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

    @Test
    void shouldWriteUtf8BytesExactlyAsTheSameTextFromAString()
    {
        qt().withExamples(2000).forAll(Texts.wellFormed(30)).checkAssert(text ->
        {
            final ByteBuf fromString = Unpooled.buffer();
            final ByteBuf fromBytes = Unpooled.buffer();
            final byte[] utf8 = ("<" + text + ">").getBytes(StandardCharsets.UTF_8);
            new JsonWriter().wrap(fromString).startObject().field("t", text).endObject();
            new JsonWriter().wrap(fromBytes).startObject()
                .field("t", new UnsafeBuffer(utf8), 1, utf8.length - 2).endObject();
            assertThat(ByteBufUtil.getBytes(fromBytes)).isEqualTo(ByteBufUtil.getBytes(fromString));
        });
    }

    @Test
    void shouldReplaceBytesThatAreNotUtf8AndStayValidJson() throws Exception
    {
        final byte[][] broken = {
            { (byte)0x80 },                                     // a continuation byte alone
            { (byte)0xE2, (byte)0x82 },                         // a sequence cut short
            { (byte)0xC0, (byte)0xAF },                         // overlong '/'
            { (byte)0xE0, (byte)0x80, (byte)0xAF },             // overlong again
            { (byte)0xED, (byte)0xA0, (byte)0x80 },             // a surrogate
            { (byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80 }, // past U+10FFFF
            { (byte)0xF5, (byte)0x80 },
            { (byte)0xFF },
        };
        for (final byte[] bad : broken)
        {
            final byte[] text = new byte[bad.length + 4];
            text[0] = 'a';
            text[1] = '"';
            System.arraycopy(bad, 0, text, 2, bad.length);
            text[bad.length + 2] = '\\';
            text[bad.length + 3] = 'z';
            final ByteBuf out = Unpooled.buffer();
            new JsonWriter().wrap(out).startObject().field("t", new UnsafeBuffer(text), 0, text.length).endObject();

            final byte[] json = ByteBufUtil.getBytes(out);
            // Strict decoding: throws if the writer let a malformed byte through.
            final String decoded = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json)).toString();
            final String value = mapper.readTree(decoded).path("t").asText();
            assertThat(value).startsWith("a\"").endsWith("\\z").contains("\uFFFD");
            assertThat(value.length()).isBetween(5, bad.length + 4);
        }
    }
}
