package io.switchboard.codecs;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import uk.co.real_logic.sbe.PrimitiveValue;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator's hand-written table ({@link MessageLayout}) against the IR SbeTool generated from the schema: the
 * same templates, block lengths, enum fields, groups and var-data, so the build fails when the schema changes and
 * the validator does not follow.
 */
class MessageLayoutIrTest
{
    @Test
    void shouldDescribeTheSameMessagesAsTheIr()
    {
        final List<String> fromIr = new ArrayList<>();
        for (final List<Token> tokens : SchemaIr.messages())
        {
            final Token message = tokens.get(0);
            fromIr.add(describe(tokens, 1, tokens.size() - 1, message.name() + " id=" + message.id(),
                message.encodedLength()));
        }

        final List<String> fromValidator = MessageLayout.all().stream().map(MessageLayout::toString).toList();

        assertThat(String.join("\n", fromValidator)).isEqualTo(String.join("\n", fromIr));
    }

    @Test
    void shouldShareSchemaIdentityAndByteOrderWithIr()
    {
        assertThat(SchemaIr.IR.id()).isEqualTo(MessageHeaderDecoder.SCHEMA_ID);
        assertThat(SchemaIr.IR.version()).isEqualTo(MessageHeaderDecoder.SCHEMA_VERSION);
        assertThat(SchemaIr.IR.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(SchemaIr.IR.headerStructure().tokens().get(0).encodedLength())
            .isEqualTo(MessageValidator.HEADER_LENGTH);
    }

    /**
     * The validator demands our full block and every var-data we know. Once a field, group or var-data exists only
     * since a later version than its message, a message from an older sender legitimately lacks it, and the
     * validator must learn the per-version minimums before such a schema ships (codecs/README.md, "Evolution"). A
     * whole message added in a later version (its elements no newer than the message) is fine as it is: an older
     * sender never sends it, an older reader rejects it as an unknown template.
     */
    @Test
    void shouldHaveNoElementNewerThanItsMessageUntilValidatorIsVersionAware()
    {
        for (final List<Token> tokens : SchemaIr.messages())
        {
            final Token message = tokens.get(0);
            assertThat(message.version()).as("sinceVersion of %s", message.name())
                .isBetween(0, MessageHeaderDecoder.SCHEMA_VERSION);
            for (final Token token : tokens)
            {
                assertThat(token.version()).as("sinceVersion of %s in %s", token.name(), message.name())
                    .isLessThanOrEqualTo(message.version());
            }
        }
    }

    @Test
    void shouldAddMembershipChangeInVersionOne()
    {
        assertThat(SchemaIr.IR.getMessage(MembershipChangeDecoder.TEMPLATE_ID).get(0).version()).isEqualTo(1);
        assertThat(MessageHeaderDecoder.SCHEMA_VERSION).isGreaterThanOrEqualTo(1);
    }

    private static String describe(
        final List<Token> tokens, final int from, final int to, final String name, final int blockLength)
    {
        final List<String> enums = new ArrayList<>();
        final List<String> groups = new ArrayList<>();
        final List<String> data = new ArrayList<>();

        for (int i = from; i < to; i += tokens.get(i).componentTokenCount())
        {
            final Token token = tokens.get(i);
            switch (token.signal())
            {
                case BEGIN_FIELD:
                {
                    final Token type = tokens.get(i + 1);
                    if (type.signal() == Signal.BEGIN_ENUM)
                    {
                        enums.add(describeEnum(tokens, i + 1, token.offset()));
                    }
                    else if (type.signal() == Signal.BEGIN_COMPOSITE)
                    {
                        for (int j = i + 1; j < i + token.componentTokenCount(); j++)
                        {
                            assertThat(tokens.get(j).signal()).as("enum inside composite field %s: the validator " +
                                "only checks top-level enum fields", token.name()).isNotEqualTo(Signal.BEGIN_ENUM);
                        }
                    }
                    break;
                }

                case BEGIN_GROUP:
                {
                    final Token dimensions = tokens.get(i + 1);
                    assertThat(dimensions.name()).isEqualTo("groupSizeEncoding");
                    assertThat(dimensions.encodedLength()).isEqualTo(MessageLayout.GROUP_HEADER_LENGTH);
                    groups.add(describe(tokens, i + 1 + dimensions.componentTokenCount(),
                        i + token.componentTokenCount() - 1, token.name(), token.encodedLength()));
                    break;
                }

                case BEGIN_VAR_DATA:
                {
                    final Token length = tokens.get(i + 2);
                    assertThat(length.name()).isEqualTo("length");
                    final PrimitiveValue maxValue = null != length.encoding().maxValue() ?
                        length.encoding().maxValue() : length.encoding().applicableMaxValue();
                    data.add(length.encodedLength() + "<=" + maxValue.longValue());
                    break;
                }

                default:
                    throw new IllegalStateException("unexpected " + token);
            }
        }

        return name + " block=" + blockLength + " enums=" + enums + " groups=" + groups + " data=" + data;
    }

    private static String describeEnum(final List<Token> tokens, final int enumIndex, final int offset)
    {
        final Token beginEnum = tokens.get(enumIndex);
        assertThat(beginEnum.encodedLength()).as("the validator checks one-byte enums only").isEqualTo(1);

        final StringBuilder builder = new StringBuilder()
            .append('@').append(offset).append(':').append(beginEnum.name()).append('{');
        final List<Long> values = new ArrayList<>();
        for (int i = enumIndex + 1; tokens.get(i).signal() == Signal.VALID_VALUE; i++)
        {
            values.add(tokens.get(i).encoding().constValue().longValue());
        }
        values.stream().sorted().forEach((value) -> builder.append(value).append(','));
        builder.setLength(builder.length() - 1);

        return builder.append('}').toString();
    }
}
