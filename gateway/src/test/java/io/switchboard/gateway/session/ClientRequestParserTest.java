package io.switchboard.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.codecs.PresenceStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClientRequestParserTest
{
    private final ClientRequestParser parser = new ClientRequestParser(new ObjectMapper(), 500);

    @Test
    void shouldParseEveryRequestType() throws BadFrameException
    {
        assertThat(parse("{\"type\":\"subscribe\",\"channels\":[\"a\",\"b\",\"a\"],\"ref\":\"r\"}"))
            .isEqualTo(new ClientRequest.Subscribe(java.util.List.of("a", "b"), "\"r\""));
        assertThat(parse("{\"type\":\"unsubscribe\",\"channels\":[\"a\"]}"))
            .isEqualTo(new ClientRequest.Unsubscribe(java.util.List.of("a")));
        final ClientRequest.Publish publish = (ClientRequest.Publish)parse(
            "{\"type\":\"publish\",\"channel\":\"c\",\"data\":{\"k\":[1,2]},\"id\":\"m-1\",\"ref\":7}");
        assertThat(publish.channel()).isEqualTo("c");
        assertThat(publish.id()).isEqualTo("m-1");
        assertThat(publish.ref()).isEqualTo("7");
        assertThat(new String(publish.data(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":[1,2]}");
        assertThat(parse("{\"type\":\"typing\",\"channel\":\"c\"}")).isEqualTo(new ClientRequest.Typing("c", null));
        final ClientRequest.Transient event = (ClientRequest.Transient)parse(
            "{\"type\":\"transient\",\"channel\":\"c\",\"event\":\"cursor\",\"ttlMs\":1000}");
        assertThat(event.event()).isEqualTo("cursor");
        assertThat(event.ttlMs()).isEqualTo(1000);
        assertThat(new String(event.data(), StandardCharsets.UTF_8)).isEqualTo("null");
        assertThat(parse("{\"type\":\"react\",\"channel\":\"c\",\"target\":\"m\",\"emoji\":\"+1\"}"))
            .isEqualTo(new ClientRequest.React("c", "m", "+1", null));
        assertThat(parse("{\"type\":\"presence.watch\",\"users\":[]}"))
            .isEqualTo(new ClientRequest.Watch(java.util.List.of()));
        assertThat(parse("{\"type\":\"presence.query\",\"users\":[\"u\"],\"ref\":1}"))
            .isEqualTo(new ClientRequest.Query(java.util.List.of("u"), "1"));
        assertThat(parse("{\"type\":\"presence.set\",\"status\":\"away\"}"))
            .isEqualTo(new ClientRequest.SetStatus(PresenceStatus.AWAY));
        assertThat(parse("{\"type\":\"history\",\"channel\":\"c\",\"since\":5,\"epoch\":9,\"limit\":5000}"))
            .isEqualTo(new ClientRequest.History("c", 5, 9, 1000, null));
        assertThat(parse("{\"type\":\"history\",\"channel\":\"c\"}"))
            .isEqualTo(new ClientRequest.History("c", 0, 0, 100, null));
        assertThat(parse("{\"ref\":\"x\",\"type\":\"ping\"}")).isEqualTo(new ClientRequest.Ping("\"x\""));
    }

    @Test
    void shouldRefuseInvalidUtf8()
    {
        final ByteBuf frame = Unpooled.wrappedBuffer(new byte[]{ '{', '"', 't', '"', ':', '"', (byte)0xC3, '"', '}' });
        final BadFrameException ex = catchThrowableOfType(BadFrameException.class, () -> parser.parse(frame));
        assertThat(ex.code()).isEqualTo("bad_request");
        assertThat(ex.getMessage()).contains("UTF-8");
    }

    @Test
    void shouldExplainWhatIsWrongAndKeepTheRef()
    {
        assertBad("{oops", "bad_request", null);
        assertBad("\"text\"", "bad_request", null);
        assertBad("{\"ref\":{},\"type\":\"ping\"}", "bad_request", null);
        assertBad("{\"type\":\"fly\",\"ref\":3}", "unknown_type", "3");
        assertBad("{\"type\":[],\"ref\":3}", "bad_request", "3");
        assertBad("{\"type\":\"subscribe\",\"channels\":\"a\",\"ref\":\"s\"}", "bad_request", "\"s\"");
        assertBad("{\"type\":\"subscribe\",\"channels\":[1]}", "bad_request", null);
        assertBad("{\"type\":\"publish\",\"channel\":\"\"}", "bad_request", null);
        assertBad("{\"type\":\"publish\",\"channel\":\"a\\u0000b\"}", "bad_request", null);
        assertBad("{\"type\":\"publish\",\"channel\":\"" + "x".repeat(1025) + "\"}", "bad_request", null);
        assertBad("{\"type\":\"publish\",\"channel\":\"c\",\"data\":\"" + "x".repeat(65540) + "\"}", "too_large", null);
        assertBad("{\"type\":\"history\",\"channel\":\"c\",\"since\":-1}", "bad_request", null);
        assertBad("{\"type\":\"history\",\"channel\":\"c\",\"limit\":1.5}", "bad_request", null);
        assertBad("{\"type\":\"transient\",\"channel\":\"c\",\"event\":\"e\",\"ttlMs\":60001}", "bad_request", null);
        assertBad("{\"type\":\"presence.set\",\"status\":\"offline\"}", "bad_request", null);
        final StringBuilder users = new StringBuilder("{\"type\":\"presence.watch\",\"users\":[");
        for (int i = 0; i < 501; i++)
        {
            users.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
        }
        assertBad(users.append("]}").toString(), "too_large", null);
    }

    @Test
    void shouldNeverThrowAnythingButBadFrameOnArbitraryInput()
    {
        // Seeded, so a failure can be replayed. QuickTheories is not on this module's test classpath.
        final java.util.Random random = new java.util.Random(42);
        final String[] pieces = { "{", "}", "[", "]", "\"type\"", ":", ",", "\"publish\"", "\"channel\"", "\"c\"",
            "\"data\"", "1", "-1", "1e999", "null", "true", "\"\\u0000\"", "\"ref\"", "\"subscribe\"",
            "\"channels\"", "\"history\"", "\"since\"", "\"presence.watch\"", "\"users\"", " " };
        for (int i = 0; i < 5000; i++)
        {
            final byte[] raw = new byte[random.nextInt(200)];
            random.nextBytes(raw);
            parseQuietly(raw);

            final StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(30); j >= 0; j--)
            {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            parseQuietly(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void parseQuietly(final byte[] raw)
    {
        try
        {
            assertThat(parser.parse(Unpooled.wrappedBuffer(raw))).isNotNull();
        }
        catch (final BadFrameException ex)
        {
            assertThat(ex.code()).isIn("bad_request", "unknown_type", "too_large");
        }
    }

    private ClientRequest parse(final String json) throws BadFrameException
    {
        return parser.parse(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
    }

    private void assertBad(final String json, final String code, final String ref)
    {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(BadFrameException.class, ex ->
        {
            assertThat(ex.code()).as(json).isEqualTo(code);
            assertThat(ex.ref()).as(json).isEqualTo(ref);
            assertThat(ex.getMessage()).isNotBlank();
        });
    }
}
