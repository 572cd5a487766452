package io.switchboard.codecs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message of the schema, in every edge-case variant of {@link SampleMessages}, encoded with the generated
 * encoders and read back three ways: the generated decoders, SBE's IR-driven OTF decoder and the validator.
 */
class MessageRoundTripTest
{
    // Odd, so nothing depends on the message starting at an aligned or zero offset.
    private static final int OFFSET = 13;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final TypedCodecs codecs = new TypedCodecs();
    private final OtfFieldCollector otf = new OtfFieldCollector();

    static Stream<Arguments> messages()
    {
        return SchemaIr.messages().stream().flatMap(
            (tokens) -> IntStream.range(0, SampleMessages.VARIANTS).mapToObj(
                (variant) -> Arguments.of(tokens.get(0).name(), variant, tokens)));
    }

    @ParameterizedTest(name = "{0} variant {1}")
    @MethodSource("messages")
    void shouldRoundTripThroughGeneratedCodecs(final String name, final int variant, final List<Token> tokens)
    {
        final Map<String, Object> expected = SampleMessages.sample(tokens, variant);
        final int length = codecs.encode(tokens.get(0).id(), expected, buffer, OFFSET);

        assertThat(codecs.decode(buffer, OFFSET)).isEqualTo(expected);
        assertThat(codecs.decodedLength()).isEqualTo(length);
    }

    @ParameterizedTest(name = "{0} variant {1}")
    @MethodSource("messages")
    void shouldDecodeWithOtfDecoderDrivenByIr(final String name, final int variant, final List<Token> tokens)
    {
        final Map<String, Object> expected = SampleMessages.sample(tokens, variant);
        final int length = codecs.encode(tokens.get(0).id(), expected, buffer, OFFSET);

        assertThat(otf.decode(buffer, OFFSET)).isEqualTo(expected);
        assertThat(otf.decodedLength()).isEqualTo(length);
    }

    @ParameterizedTest(name = "{0} variant {1}")
    @MethodSource("messages")
    void shouldBeAcceptedByValidatorExactlyAsEncoded(final String name, final int variant, final List<Token> tokens)
    {
        final int length = codecs.encode(tokens.get(0).id(), SampleMessages.sample(tokens, variant), buffer, OFFSET);

        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.NONE);
        assertThat(MessageValidator.messageLength(buffer, OFFSET, length)).isEqualTo(length);
        assertThat(MessageValidator.templateName(buffer, OFFSET, length)).isEqualTo(name);
    }

    @Test
    void shouldCoverEveryIntegerExtremeAndMaximumLengthVarData()
    {
        final Map<String, Object> max =
            SampleMessages.sample(SchemaIr.IR.getMessage(HistoryResponseEncoder.TEMPLATE_ID), 1);
        final Map<String, Object> min =
            SampleMessages.sample(SchemaIr.IR.getMessage(TransientEncoder.TEMPLATE_ID), 2);

        assertThat(max).containsEntry("correlationId", Long.MAX_VALUE)
            .containsEntry("channel", SampleMessages.MAX_NAME);
        final List<?> messages = (List<?>)max.get("messages");
        assertThat(messages).hasSize(3);
        assertThat(((Blob)((Map<?, ?>)messages.get(0)).get("payload")).length())
            .isEqualTo(SampleMessages.MAX_PAYLOAD_LENGTH);
        assertThat(min).containsEntry("sessionId", Long.MIN_VALUE).containsEntry("ttlMs", (long)Integer.MIN_VALUE);
        assertThat(SampleMessages.MAX_NAME).contains("😀", "频道");
    }

    @Test
    void shouldCoverEveryEnumValueAndSetChoiceOfEveryField()
    {
        final Map<String, Set<String>> schemaValues = new TreeMap<>();
        final Map<String, Set<String>> sampledValues = new TreeMap<>();
        for (final List<Token> tokens : SchemaIr.messages())
        {
            for (int variant = 0; variant < SampleMessages.VARIANTS; variant++)
            {
                collectChoices(tokens, 1, tokens.size() - 1, tokens.get(0).name(),
                    List.of(SampleMessages.sample(tokens, variant)), schemaValues, sampledValues);
            }
        }

        assertThat(schemaValues).containsKeys(
            "NodeHeartbeat.roles", "HistoryResponse.complete", "ErrorResponse.code", "PresenceSetStatus.status",
            "PresenceUpdate.updates.status");
        assertThat(sampledValues).isEqualTo(schemaValues);
    }

    @SuppressWarnings("unchecked")
    private static void collectChoices(
        final List<Token> tokens,
        final int from,
        final int to,
        final String path,
        final List<Map<String, Object>> scopes,
        final Map<String, Set<String>> schemaValues,
        final Map<String, Set<String>> sampledValues)
    {
        for (int i = from; i < to; i += tokens.get(i).componentTokenCount())
        {
            final Token token = tokens.get(i);
            final String fieldPath = path + '.' + token.name();
            if (token.signal() == Signal.BEGIN_FIELD)
            {
                final Signal type = tokens.get(i + 1).signal();
                if (type == Signal.BEGIN_ENUM || type == Signal.BEGIN_SET)
                {
                    final Set<String> values = schemaValues.computeIfAbsent(fieldPath, (k) -> new TreeSet<>());
                    for (int j = i + 2; tokens.get(j).signal() == Signal.VALID_VALUE ||
                        tokens.get(j).signal() == Signal.CHOICE; j++)
                    {
                        values.add(tokens.get(j).name());
                    }

                    final Set<String> sampled = sampledValues.computeIfAbsent(fieldPath, (k) -> new TreeSet<>());
                    for (final Map<String, Object> scope : scopes)
                    {
                        final Object value = scope.get(token.name());
                        if (value instanceof Set)
                        {
                            sampled.addAll((Set<String>)value);
                        }
                        else
                        {
                            sampled.add((String)value);
                        }
                    }
                }
            }
            else if (token.signal() == Signal.BEGIN_GROUP)
            {
                final List<Map<String, Object>> entries = scopes.stream()
                    .flatMap((scope) -> ((List<Map<String, Object>>)scope.get(token.name())).stream())
                    .toList();
                collectChoices(tokens, i + 1 + tokens.get(i + 1).componentTokenCount(),
                    i + token.componentTokenCount() - 1, fieldPath, entries, schemaValues, sampledValues);
            }
        }
    }
}
