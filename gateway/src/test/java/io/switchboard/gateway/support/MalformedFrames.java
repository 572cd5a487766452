package io.switchboard.gateway.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Garbage for the gateway, from a seeded {@link Random}: random bytes (mostly invalid UTF-8), binary frames,
 * truncated and mutated requests, huge numbers, deep nesting, unknown types and lists past their limits. Some frames
 * carry a ref and the error code the gateway must answer them with; mutated ones may turn into anything, valid
 * requests included, so they are only sent to a session allowed in the channel {@code fuzz}.
 * <p>
 * Not thread-safe.
 */
public final class MalformedFrames
{
    /** Prefix of refs whose answer is checked; never produced by mutation of {@link #TEMPLATES}. */
    public static final String CHECKED_REF = "chk-";

    private static final List<String> TEMPLATES = List.of(
        "{\"type\":\"ping\",\"ref\":\"m1\"}",
        "{\"type\":\"publish\",\"channel\":\"fuzz\",\"data\":{\"text\":\"hi\",\"n\":[1,2.5,-3e2,true,null]},\"ref\":\"m2\"}",
        "{\"type\":\"publish\",\"channel\":\"general\",\"id\":\"x\",\"data\":\"x\",\"ref\":\"m3\"}",
        "{\"type\":\"subscribe\",\"channels\":[\"fuzz\",\"general\"],\"ref\":\"m4\"}",
        "{\"type\":\"unsubscribe\",\"channels\":[\"fuzz\"]}",
        "{\"type\":\"typing\",\"channel\":\"fuzz\"}",
        "{\"type\":\"transient\",\"channel\":\"fuzz\",\"event\":\"e\",\"data\":{\"a\":1},\"ttlMs\":1000}",
        "{\"type\":\"react\",\"channel\":\"fuzz\",\"target\":\"t\",\"emoji\":\":)\"}",
        "{\"type\":\"presence.watch\",\"users\":[\"a\",\"b\"]}",
        "{\"type\":\"presence.query\",\"users\":[\"a\"],\"ref\":\"m5\"}",
        "{\"type\":\"presence.set\",\"status\":\"away\"}",
        "{\"type\":\"history\",\"channel\":\"fuzz\",\"since\":0,\"epoch\":0,\"limit\":5,\"ref\":\"m6\"}");
    private static final byte[] JSON_BYTES = "{}[]\":,0123456789-+.eEtrufalsn \\u".getBytes(StandardCharsets.US_ASCII);

    /**
     * One frame to send.
     *
     * @param payload      the bytes.
     * @param binary       send as a binary frame rather than text.
     * @param ref          the checked ref the answer carries, or null.
     * @param expectedCode the error code that answer must have, or null.
     */
    public record Frame(byte[] payload, boolean binary, String ref, String expectedCode)
    {
    }

    private final Random random;
    private long checked;

    /**
     * @param random the seeded source.
     */
    public MalformedFrames(final Random random)
    {
        this.random = random;
    }

    /**
     * @return the next frame.
     */
    public Frame next()
    {
        final int kind = random.nextInt(100);
        if (kind < 15)
        {
            return text(randomBytes(random.nextInt(300)));
        }
        if (kind < 20)
        {
            return new Frame(randomBytes(random.nextInt(300)), true, null, null);
        }
        if (kind < 35)
        {
            final byte[] template = template();
            final byte[] truncated = new byte[random.nextInt(template.length)];
            System.arraycopy(template, 0, truncated, 0, truncated.length);
            return text(truncated);
        }
        if (kind < 60)
        {
            return text(mutate(template()));
        }
        if (kind < 67)
        {
            return hugeNumber();
        }
        if (kind < 74)
        {
            return deepNesting();
        }
        if (kind < 82)
        {
            final String ref = nextRef();
            return checked("{\"type\":\"x-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) +
                "\",\"ref\":\"" + ref + "\",\"channel\":\"fuzz\"}", ref, "unknown_type");
        }
        if (kind < 86)
        {
            return tooManyNames();
        }
        if (kind < 92)
        {
            final String ref = nextRef();
            return checked("{\"type\":\"publish\",\"channel\":\"general\",\"data\":" + random.nextInt() +
                ",\"ref\":\"" + ref + "\"}", ref, "forbidden");
        }
        final String ref = nextRef();
        return checked(switch (random.nextInt(4))
        {
            case 0 -> "{\"type\":\"publish\",\"channel\":\"\",\"ref\":\"" + ref + "\"}";
            case 1 -> "{\"type\":\"presence.set\",\"status\":\"asleep\",\"ref\":\"" + ref + "\"}";
            case 2 -> "{\"type\":42,\"ref\":\"" + ref + "\"}";
            default -> "{\"type\":\"transient\",\"channel\":\"fuzz\",\"event\":\"e\",\"ttlMs\":-1,\"ref\":\"" + ref + "\"}";
        }, ref, "bad_request");
    }

    /**
     * @param maxFrameBytes the gateway's frame limit.
     * @return a text frame past it (the gateway closes with 1009).
     */
    public Frame oversized(final int maxFrameBytes)
    {
        final byte[] payload = new byte[maxFrameBytes + 1 + random.nextInt(1024)];
        java.util.Arrays.fill(payload, (byte)'[');
        return new Frame(payload, false, null, null);
    }

    private Frame hugeNumber()
    {
        final String number = digits(1 + random.nextInt(5000));
        if (number.length() >= 19 && number.length() <= 900 && random.nextBoolean())
        {
            final String ref = nextRef();
            return checked("{\"type\":\"history\",\"channel\":\"fuzz\",\"since\":" + number + "0,\"ref\":\"" + ref + "\"}",
                ref, "bad_request"); // 20 digits or more: past a long
        }
        return text(switch (random.nextInt(5))
        {
            case 0 -> "{\"type\":\"history\",\"channel\":\"fuzz\",\"limit\":" + number + "}";
            case 1 -> "{\"type\":\"ping\",\"ref\":" + number + "}";
            case 2 -> "{\"type\":\"publish\",\"channel\":\"fuzz\",\"data\":" + number + "}";
            case 3 -> "{\"type\":\"transient\",\"channel\":\"fuzz\",\"event\":\"e\",\"ttlMs\":-" + number + "}";
            default -> "{\"type\":\"publish\",\"channel\":\"fuzz\",\"data\":1e" + number + "}";
        });
    }

    private Frame deepNesting()
    {
        final int depth = 1 + random.nextInt(random.nextBoolean() ? 500 : 5000);
        final StringBuilder data = new StringBuilder();
        final boolean objects = random.nextBoolean();
        for (int i = 0; i < depth; i++)
        {
            data.append(objects ? "{\"a\":" : "[");
        }
        data.append('1');
        final boolean close = random.nextInt(4) != 0;
        for (int i = 0; close && i < depth; i++)
        {
            data.append(objects ? '}' : ']');
        }
        return text(random.nextBoolean() ? data.toString() :
            "{\"type\":\"publish\",\"channel\":\"fuzz\",\"data\":" + data + "}");
    }

    private Frame tooManyNames()
    {
        final String ref = nextRef();
        final boolean watch = random.nextBoolean();
        final int count = (watch ? 501 : 1001) + random.nextInt(200);
        final StringBuilder frame = new StringBuilder(watch ?
            "{\"type\":\"presence.query\",\"ref\":\"" + ref + "\",\"users\":[" :
            "{\"type\":\"subscribe\",\"ref\":\"" + ref + "\",\"channels\":[");
        for (int i = 0; i < count; i++)
        {
            frame.append(i > 0 ? "," : "").append("\"n").append(i).append('"');
        }
        return checked(frame.append("]}").toString(), ref, "too_large");
    }

    private byte[] mutate(final byte[] template)
    {
        byte[] bytes = template;
        final int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && bytes.length > 0; i++)
        {
            final int at = random.nextInt(bytes.length);
            switch (random.nextInt(3))
            {
                case 0 -> bytes[at] = random.nextInt(4) == 0 ? (byte)random.nextInt(256) :
                    JSON_BYTES[random.nextInt(JSON_BYTES.length)];
                case 1 ->
                {
                    final byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                }
                default ->
                {
                    final byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = JSON_BYTES[random.nextInt(JSON_BYTES.length)];
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
            }
        }
        return bytes;
    }

    private byte[] template()
    {
        return TEMPLATES.get(random.nextInt(TEMPLATES.size())).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String digits(final int count)
    {
        final StringBuilder digits = new StringBuilder(count);
        digits.append((char)('1' + random.nextInt(9)));
        for (int i = 1; i < count; i++)
        {
            digits.append((char)('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private String nextRef()
    {
        return CHECKED_REF + (checked++);
    }

    private static Frame text(final byte[] payload)
    {
        return new Frame(payload, false, null, null);
    }

    private static Frame text(final String payload)
    {
        return text(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Frame checked(final String payload, final String ref, final String code)
    {
        return new Frame(payload.getBytes(StandardCharsets.UTF_8), false, ref, code);
    }
}
