package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.core.GatewaySession;
import io.switchboard.gateway.support.FuzzConnection;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.MalformedFrames;
import io.switchboard.gateway.support.WsClient;
import io.switchboard.gateway.support.SampledLeakDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live gateway takes at least 100,000 malformed frames (random bytes, binary frames, truncated and mutated
 * requests, huge numbers, deep nesting, unknown types, lists past their limits, frames past the size limit) while a
 * well-behaved client on the same gateway receives every message published meanwhile, once and in seq order.
 * <p>
 * Seeded: the seed is printed (surefire's output file) and in every failure message; rerun one with
 * {@code -Dswitchboard.fuzz.seed=<seed>}. {@code -Dswitchboard.fuzz.frames} changes how many frames are thrown.
 * <p>
 * Leaks are sampled here: under paranoid tracking the gateway took about 365 frames/s instead of 4,400.
 */
@SampledLeakDetection
class MalformedFrameFuzzTest
{
    private static final int FRAMES = Integer.getInteger("switchboard.fuzz.frames", 100_000);
    private static final int FRAMES_PER_MESSAGE = 50;
    private static final int FRAMES_PER_OVERSIZED = 25_000;
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final Pattern FRAMES_IN = Pattern.compile("switchboard_gateway_frames_in_total ([0-9.E]+)");

    private GatewayHarness harness;

    @AfterEach
    void stop()
    {
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldKeepServingAWellBehavedClientWhileThrownMalformedFrames() throws Exception
    {
        final long seed = Long.getLong("switchboard.fuzz.seed", System.nanoTime());
        System.out.println("MalformedFrameFuzzTest seed " + seed + " (-Dswitchboard.fuzz.seed=" + seed + ")");
        final String why = "seed " + seed;
        final MalformedFrames garbage = new MalformedFrames(new Random(seed));

        // Fuzzing as fast as the socket goes: the rate limiter must not be what stops the garbage.
        harness = GatewayHarness.start(context -> context
            .maxFrameBytes(MAX_FRAME_BYTES)
            .ratePerSecond(1_000_000)
            .rateBurst(1_000_000));
        final WsClient reader = harness.connect("reader", "general");
        final long startSeq = reader.await("subscribed").path("channels").path(0).path("seq").asLong();
        final WsClient writer = harness.connect("writer", "general");
        writer.await("subscribed");
        final String token = URLEncoder.encode(harness.token("fuzzer", "fuzz"), StandardCharsets.UTF_8);

        final Map<String, AtomicInteger> errorCodes = new ConcurrentHashMap<>();
        final List<String> problems = new ArrayList<>();
        final List<Integer> closeCodes = new ArrayList<>();
        int published = 0;
        int sent = 0;
        final long startNs = System.nanoTime();
        FuzzConnection fuzz = FuzzConnection.open(harness.gateway().port(), token, errorCodes, problems);
        while (sent < FRAMES)
        {
            if (fuzz.isEnded() || (sent > 0 && sent % FRAMES_PER_OVERSIZED == 0))
            {
                if (!fuzz.isEnded())
                {
                    fuzz.awaitAnswers();
                    fuzz.send(garbage.oversized(MAX_FRAME_BYTES));
                    assertThat(fuzz.awaitClose()).as(why).isEqualTo(GatewaySession.CLOSE_TOO_LARGE);
                    sent++;
                }
                closeCodes.add(fuzz.closeCode());
                fuzz.close();
                fuzz = FuzzConnection.open(harness.gateway().port(), token, errorCodes, problems);
            }
            if (fuzz.send(garbage.next()))
            {
                sent++;
                if (sent % FRAMES_PER_MESSAGE == 0)
                {
                    writer.send("{\"type\":\"publish\",\"channel\":\"general\",\"data\":{\"i\":" + published++ + "}}");
                }
            }
        }
        fuzz.awaitAnswers();
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        System.out.printf("sent %d malformed frames in %.1f s (%.0f/s), %d messages; closes %s; errors %s%n",
            sent, seconds, sent / seconds, published, closeCodes, errorCodes);

        // The fuzzing session still gets answers.
        fuzz.send(new MalformedFrames.Frame(
            "{\"type\":\"x-still-there\",\"ref\":\"chk-last\"}".getBytes(StandardCharsets.UTF_8), false,
            "chk-last", "unknown_type"));
        fuzz.awaitAnswers();
        assertThat(fuzz.isEnded()).as(why + ": the last fuzzing connection is still open").isFalse();
        fuzz.close();

        // The well-behaved client got every message exactly once, in seq order.
        final int expected = published;
        writer.awaitCount(expected, f -> "ack".equals(f.path("type").asText()), "acks");
        reader.await(f -> "message".equals(f.path("type").asText()) && f.path("data").path("i").asInt() == expected - 1,
            "the last message");
        final List<JsonNode> messages = reader.matching(f -> "message".equals(f.path("type").asText()));
        assertThat(messages).as(why).hasSize(expected);
        for (int i = 0; i < expected; i++)
        {
            final JsonNode message = messages.get(i);
            assertThat(message.path("channel").asText()).as(why).isEqualTo("general");
            assertThat(message.path("seq").asLong()).as(why).isEqualTo(startSeq + 1 + i);
            assertThat(message.path("data").path("i").asInt()).as(why).isEqualTo(i);
            assertThat(message.path("epoch").asLong()).as(why).isEqualTo(messages.get(0).path("epoch").asLong());
        }
        assertThat(reader.matching(f -> "error".equals(f.path("type").asText()))).as(why).isEmpty();
        assertThat(writer.matching(f -> "error".equals(f.path("type").asText()))).as(why).isEmpty();

        // Every answer was JSON with the right code; all three malformed-frame codes were used.
        synchronized (problems)
        {
            assertThat(problems).as(why).isEmpty();
        }
        assertThat(errorCodes.keySet()).as(why).isSubsetOf(GatewayMetrics.ERROR_CODES);
        assertThat(errorCodes).as(why).containsKeys("bad_request", "unknown_type", "too_large", "forbidden");
        assertThat(closeCodes).as(why).allMatch(code -> code == GatewaySession.CLOSE_TOO_LARGE);

        // The gateway itself read them all and still answers.
        final Matcher framesIn = FRAMES_IN.matcher(harness.gateway().metrics().scrape());
        assertThat(framesIn.find()).isTrue();
        assertThat(Double.parseDouble(framesIn.group(1))).as(why).isGreaterThanOrEqualTo(sent - closeCodes.size());
        assertThat(harness.http("GET", "/health", null, false).statusCode()).isEqualTo(200);
        reader.send("{\"type\":\"ping\",\"ref\":\"after\"}");
        assertThat(reader.await("pong").path("ref").asText()).isEqualTo("after");
    }
}
