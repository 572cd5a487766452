package io.switchboard.codecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uk.co.real_logic.sbe.ir.Token;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The validator against arbitrary input: it never throws, and whatever it accepts the generated decoders (and the
 * OTF decoder) decode completely without reading outside the message. Each candidate sits in a buffer of exactly its
 * length, so a read past the end throws rather than passes unseen.
 * <p>
 * QuickTheories is not on this module's test classpath (only engine declares it), so candidates come from a seeded
 * {@link SplittableRandom}: the seed is fixed for a reproducible build and printed with any failure; set
 * {@code -Dswitchboard.fuzz.seed=N} to explore others.
 */
class MessageValidatorPropertyTest
{
    private static final int[] INTERESTING = {
        0, 1, 2, 3, 4, 7, 8, 0xFF, 0x100, 1023, 1024, 1025, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x1_0001, -1 };
    private static final List<byte[]> VALID_MESSAGES = validMessages();

    private static final long SEED = Long.getLong("switchboard.fuzz.seed", 7301L);

    private final TypedCodecs codecs = new TypedCodecs();
    private final OtfFieldCollector otf = new OtfFieldCollector();
    private int accepted;

    @Test
    void shouldNeverThrowOrAcceptUndecodableRandomBytes()
    {
        forAll(5_000, (random) -> randomBytes(random, random.nextInt(257), false));
    }

    @Test
    void shouldNeverThrowOrAcceptUndecodableBodiesBehindPlausibleHeaders()
    {
        final List<MessageLayout> layouts = MessageLayout.all();
        forAll(10_000, (random) ->
        {
            final int templateId =
                0 == random.nextInt(20) ? 99 : layouts.get(random.nextInt(layouts.size())).templateId;
            // Small bytes make lengths and counts that fit, so bodies get past the first var-data often enough.
            return withHeader(templateId, random.nextInt(-2, 5), random.nextInt(3),
                randomBytes(random, random.nextInt(201), true));
        });

        assertThat(accepted).as("accepted candidates").isPositive();
    }

    @Test
    void shouldNeverThrowOrAcceptUndecodableMutationsOfValidMessages()
    {
        forAll(20_000, (random) ->
        {
            final List<int[]> mutations = new ArrayList<>();
            for (int i = 0, count = 1 + random.nextInt(4); i < count; i++)
            {
                mutations.add(new int[]{ random.nextInt(Integer.MAX_VALUE), random.nextInt(Integer.MAX_VALUE),
                    random.nextInt(Integer.MAX_VALUE) });
            }
            return mutate(VALID_MESSAGES.get(random.nextInt(VALID_MESSAGES.size())), mutations);
        });

        assertThat(accepted).as("accepted mutants").isGreaterThan(100);
    }

    private void forAll(final int examples, final Function<SplittableRandom, byte[]> candidates)
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int example = 0; example < examples; example++)
        {
            final byte[] bytes = candidates.apply(random);
            try
            {
                assertDecodableWhenAccepted(bytes);
            }
            catch (final Throwable ex)
            {
                fail("seed " + SEED + " example " + example + ", " + hex(bytes), ex);
            }
        }
    }

    private void assertDecodableWhenAccepted(final byte[] bytes)
    {
        final UnsafeBuffer exact = new UnsafeBuffer(bytes);
        final Rejection rejection = MessageValidator.validate(exact, 0, bytes.length);
        final int messageLength = MessageValidator.messageLength(exact, 0, bytes.length);
        MessageValidator.templateName(exact, 0, bytes.length);

        if (Rejection.NONE == rejection)
        {
            accepted++;
            codecs.decode(exact, 0);
            assertThat(codecs.decodedLength()).isEqualTo(messageLength);
            otf.decode(exact, 0);
            assertThat(otf.decodedLength()).isEqualTo(messageLength);
        }
        else
        {
            assertThat(rejection == Rejection.TRAILING_BYTES).isEqualTo(messageLength >= 0);
        }
    }

    private static byte[] withHeader(
        final int templateId, final int blockLengthDelta, final int version, final byte[] body)
    {
        final MessageLayout layout = MessageLayout.forTemplateId(templateId);
        final int blockLength = Math.max(0, (null == layout ? 8 : layout.blockLength) + blockLengthDelta);
        final byte[] bytes = new byte[MessageValidator.HEADER_LENGTH + body.length];
        new MessageHeaderEncoder().wrap(new UnsafeBuffer(bytes), 0)
            .blockLength(blockLength)
            .templateId(templateId)
            .schemaId(MessageHeaderEncoder.SCHEMA_ID)
            .version(version);
        System.arraycopy(body, 0, bytes, MessageValidator.HEADER_LENGTH, body.length);

        return bytes;
    }

    /**
     * Each mutation is {kind, position, value}: overwrite a byte, a uint16 or a uint32 with an interesting value,
     * cut the message short or append a byte.
     */
    private static byte[] mutate(final byte[] valid, final List<int[]> mutations)
    {
        byte[] bytes = valid.clone();
        for (final int[] mutation : mutations)
        {
            final int kind = mutation[0] % 5;
            final int value = INTERESTING[mutation[2] % INTERESTING.length];
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            if (bytes.length == 0)
            {
                break;
            }
            final int position = mutation[1] % bytes.length;
            switch (kind)
            {
                case 0:
                    buffer.putByte(position, (byte)mutation[2]);
                    break;
                case 1:
                    if (bytes.length >= 2)
                    {
                        buffer.putShort(Math.min(position, bytes.length - 2), (short)value, LITTLE_ENDIAN);
                    }
                    break;
                case 2:
                    if (bytes.length >= 4)
                    {
                        buffer.putInt(Math.min(position, bytes.length - 4), value, LITTLE_ENDIAN);
                    }
                    break;
                case 3:
                    bytes = Arrays.copyOf(bytes, position);
                    break;
                default:
                    bytes = Arrays.copyOf(bytes, bytes.length + 1);
                    bytes[bytes.length - 1] = (byte)mutation[2];
                    break;
            }
        }

        return bytes;
    }

    private static List<byte[]> validMessages()
    {
        final TypedCodecs codecs = new TypedCodecs();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
        final List<byte[]> messages = new ArrayList<>();
        for (final List<Token> tokens : SchemaIr.messages())
        {
            for (int variant = 0; variant < SampleMessages.VARIANTS; variant++)
            {
                // The maximum variant is large and its mutants mostly differ in payload bytes: leave it out.
                if (SampleMessages.MAX_VARIANT != variant)
                {
                    final int length = codecs.encode(
                        tokens.get(0).id(), SampleMessages.sample(tokens, variant), buffer, 0);
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(0, bytes);
                    messages.add(bytes);
                }
            }
        }

        return messages;
    }

    private static byte[] randomBytes(final SplittableRandom random, final int length, final boolean mostlySmall)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(mostlySmall && random.nextInt(4) != 0 ? random.nextInt(5) : random.nextInt(256));
        }

        return bytes;
    }

    private static String hex(final byte[] bytes)
    {
        return bytes.length + " bytes: " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 512));
    }
}
