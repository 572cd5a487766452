package io.switchboard.codecs;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uk.co.real_logic.sbe.ir.Token;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

class MessageValidatorTest
{
    private static final int OFFSET = 5;
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final byte[] array = new byte[1 << 20];
    private final UnsafeBuffer buffer = new UnsafeBuffer(array);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final TypedCodecs codecs = new TypedCodecs();

    @Test
    void shouldRejectEveryProperPrefixOfEveryMessageWithoutReadingPastIt()
    {
        final Set<Rejection> truncations =
            EnumSet.of(Rejection.TRUNCATED_BLOCK, Rejection.GROUP_PAST_END, Rejection.VAR_DATA_PAST_END);
        final UnsafeBuffer exact = new UnsafeBuffer(0, 0);
        final List<String> failures = new ArrayList<>();
        int prefixes = 0;

        for (final List<Token> tokens : SchemaIr.messages())
        {
            for (int variant = 0; variant < SampleMessages.VARIANTS; variant++)
            {
                final int length = codecs.encode(
                    tokens.get(0).id(), SampleMessages.sample(tokens, variant), buffer, OFFSET);
                for (int prefix = 0; prefix < length; prefix++)
                {
                    // A buffer ending where the prefix ends: any read past it throws instead of passing unseen.
                    exact.wrap(array, OFFSET, prefix);
                    final Rejection rejection = MessageValidator.validate(exact, 0, prefix);
                    final boolean isExpected = prefix < HEADER ?
                        rejection == Rejection.TRUNCATED_HEADER : truncations.contains(rejection);
                    if (!isExpected || -1 != MessageValidator.messageLength(exact, 0, prefix))
                    {
                        failures.add(tokens.get(0).name() + " variant " + variant + " prefix " + prefix + ": " +
                            rejection);
                    }
                    prefixes++;
                }

                exact.wrap(array, OFFSET, length);
                assertThat(MessageValidator.validate(exact, 0, length)).isEqualTo(Rejection.NONE);
            }
        }

        assertThat(failures).isEmpty();
        assertThat(prefixes).isGreaterThan(400_000);
    }

    @Test
    void shouldAcceptMessageSurroundedByOtherBytes()
    {
        final int length = encodePublish("general", "payload of publish".getBytes());
        buffer.setMemory(0, OFFSET, (byte)0x7F);
        buffer.setMemory(OFFSET + length, 64, (byte)0x7F);

        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.NONE);
        assertThat(MessageValidator.validate(buffer, OFFSET, length + 1)).isEqualTo(Rejection.TRAILING_BYTES);
        assertThat(MessageValidator.messageLength(buffer, OFFSET, length + 64)).isEqualTo(length);
    }

    @Test
    void shouldRejectRangeOutsideBuffer()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[64]);

        assertThat(MessageValidator.validate(null, 0, 10)).isEqualTo(Rejection.INVALID_RANGE);
        assertThat(MessageValidator.validate(small, -1, 10)).isEqualTo(Rejection.INVALID_RANGE);
        assertThat(MessageValidator.validate(small, 0, -1)).isEqualTo(Rejection.INVALID_RANGE);
        assertThat(MessageValidator.validate(small, 60, 5)).isEqualTo(Rejection.INVALID_RANGE);
        assertThat(MessageValidator.validate(small, Integer.MAX_VALUE, 10)).isEqualTo(Rejection.INVALID_RANGE);
        assertThat(MessageValidator.validate(small, 10, Integer.MAX_VALUE)).isEqualTo(Rejection.INVALID_RANGE);
        assertThat(MessageValidator.validate(small, 64, 0)).isEqualTo(Rejection.TRUNCATED_HEADER);
        assertThat(MessageValidator.templateName(null, 0, 10)).isEqualTo("UNKNOWN");
    }

    @Test
    void shouldRejectWrongSchemaId()
    {
        final int length = encodePublish("general", new byte[10]);
        headerEncoder.wrap(buffer, OFFSET).schemaId(MessageHeaderEncoder.SCHEMA_ID + 1);

        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.WRONG_SCHEMA_ID);
        assertThat(MessageValidator.templateName(buffer, OFFSET, length)).isEqualTo("UNKNOWN");
    }

    @Test
    void shouldRejectUnknownTemplateId()
    {
        final int length = encodePublish("general", new byte[10]);

        for (final int templateId : new int[]{ 0, 3, 16, 51, 0xFFFF })
        {
            headerEncoder.wrap(buffer, OFFSET).templateId(templateId);
            assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.UNKNOWN_TEMPLATE);
            assertThat(MessageValidator.templateName(buffer, OFFSET, length)).isEqualTo("UNKNOWN");
        }
    }

    @Test
    void shouldRejectBlockLengthShorterThanThisVersion()
    {
        final int length = encodePublish("general", new byte[10]);

        for (final int blockLength : new int[]{ 0, PublishEncoder.BLOCK_LENGTH - 1 })
        {
            headerEncoder.wrap(buffer, OFFSET).blockLength(blockLength);
            assertThat(MessageValidator.validate(buffer, OFFSET, length))
                .isEqualTo(Rejection.BLOCK_LENGTH_TOO_SHORT);
        }
    }

    @Test
    void shouldAcceptNewerVersionWithLongerBlockAndAppendedVarData()
    {
        final int length = encodePublish("general", "hello".getBytes());
        final Map<String, Object> fields = codecs.decode(buffer, OFFSET);
        final int extraBlock = 6;
        final int appended = 9;
        final UnsafeBuffer newer = new UnsafeBuffer(new byte[length + extraBlock + appended]);
        final int blockEnd = HEADER + PublishEncoder.BLOCK_LENGTH;

        // Forge what a sender of the next version would send: a longer block and one more var-data after ours.
        newer.putBytes(0, buffer, OFFSET, blockEnd);
        newer.putBytes(blockEnd + extraBlock, buffer, OFFSET + blockEnd, length - blockEnd);
        newer.putShort(length + extraBlock, (short)(appended - 2), LITTLE_ENDIAN);
        headerEncoder.wrap(newer, 0).blockLength(PublishEncoder.BLOCK_LENGTH + extraBlock)
            .version(MessageHeaderEncoder.SCHEMA_VERSION + 1);

        assertThat(MessageValidator.validate(newer, 0, newer.capacity())).isEqualTo(Rejection.NONE);
        assertThat(MessageValidator.messageLength(newer, 0, newer.capacity())).isEqualTo(length + extraBlock);
        assertThat(codecs.decode(newer, 0)).isEqualTo(fields);

        headerEncoder.wrap(newer, 0).version(MessageHeaderEncoder.SCHEMA_VERSION);
        assertThat(MessageValidator.validate(newer, 0, newer.capacity())).isEqualTo(Rejection.TRAILING_BYTES);
        assertThat(MessageValidator.validate(newer, 0, length + extraBlock)).isEqualTo(Rejection.NONE);
    }

    @Test
    void shouldRejectVarDataLengthPastEnd()
    {
        final int length = encodePublish("general", new byte[100]);
        final int payloadHeader = publishPayloadHeaderIndex();

        buffer.putInt(payloadHeader, 101, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.VAR_DATA_PAST_END);

        buffer.putInt(payloadHeader, 100, LITTLE_ENDIAN);
        buffer.putShort(OFFSET + HEADER + PublishEncoder.BLOCK_LENGTH, (short)1000, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.VAR_DATA_PAST_END);
    }

    @Test
    void shouldRejectVarDataLengthAboveMaxValue()
    {
        final int nameHeader = OFFSET + HEADER + PresenceConnectEncoder.BLOCK_LENGTH;
        final int nameLength = encode(PresenceConnectEncoder.TEMPLATE_ID, SampleMessages.MAX_VARIANT);
        assertThat(buffer.getShort(nameHeader, LITTLE_ENDIAN)).isEqualTo((short)1024);

        // One byte more than the maximum, and present, so only the limit is broken.
        buffer.putShort(nameHeader, (short)1025, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, nameLength + 1)).isEqualTo(Rejection.VAR_DATA_TOO_LONG);

        final int length = encodePublish("general", new byte[SampleMessages.MAX_PAYLOAD_LENGTH]);
        final int payloadHeader = publishPayloadHeaderIndex();
        buffer.putInt(payloadHeader, SampleMessages.MAX_PAYLOAD_LENGTH + 1, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length + 1)).isEqualTo(Rejection.VAR_DATA_TOO_LONG);

        buffer.putInt(payloadHeader, -1, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.VAR_DATA_TOO_LONG);
    }

    @Test
    void shouldRejectGroupCountPastEnd()
    {
        final int length = encode(PresenceWatchEncoder.TEMPLATE_ID, 3);
        final int numInGroup = OFFSET + HEADER + PresenceWatchEncoder.BLOCK_LENGTH + 2;
        assertThat(buffer.getShort(numInGroup, LITTLE_ENDIAN)).isEqualTo((short)3);

        buffer.putShort(numInGroup, (short)4, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.GROUP_PAST_END);

        buffer.putShort(numInGroup, (short)0xFFFF, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.GROUP_PAST_END);

        buffer.putShort(numInGroup, (short)2, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.TRAILING_BYTES);
    }

    @Test
    void shouldRejectGroupBlockLengthShorterThanThisVersion()
    {
        final int length = encode(ReactionBatchEncoder.TEMPLATE_ID, 2);
        final int groupBlockLength = OFFSET + HEADER + ReactionBatchEncoder.BLOCK_LENGTH;
        assertThat(buffer.getShort(groupBlockLength, LITTLE_ENDIAN)).isEqualTo((short)8);

        buffer.putShort(groupBlockLength, (short)7, LITTLE_ENDIAN);
        assertThat(MessageValidator.validate(buffer, OFFSET, length))
            .isEqualTo(Rejection.GROUP_BLOCK_LENGTH_TOO_SHORT);
    }

    @Test
    void shouldAcceptGroupBlockLongerThanThisVersion()
    {
        final int length = encode(PresenceWatchEncoder.TEMPLATE_ID, 2);
        final Map<String, Object> fields = codecs.decode(buffer, OFFSET);
        final List<?> users = (List<?>)fields.get("users");
        final int extra = 3;
        final UnsafeBuffer newer = new UnsafeBuffer(new byte[length + extra * users.size()]);

        // Forge a next-version group whose entries gained a 3-byte fixed field in front of the user name.
        final int groupHeader = HEADER + PresenceWatchEncoder.BLOCK_LENGTH;
        newer.putBytes(0, buffer, OFFSET, groupHeader + 4);
        newer.putShort(groupHeader, (short)extra, LITTLE_ENDIAN);
        headerEncoder.wrap(newer, 0).version(MessageHeaderEncoder.SCHEMA_VERSION + 1);
        int from = OFFSET + groupHeader + 4;
        int to = groupHeader + 4;
        for (int i = 0; i < users.size(); i++)
        {
            final int entryLength = 2 + (buffer.getShort(from, LITTLE_ENDIAN) & 0xFFFF);
            newer.putBytes(to + extra, buffer, from, entryLength);
            from += entryLength;
            to += extra + entryLength;
        }

        assertThat(MessageValidator.validate(newer, 0, newer.capacity())).isEqualTo(Rejection.NONE);
        assertThat(codecs.decode(newer, 0)).isEqualTo(fields);
    }

    @Test
    void shouldRejectEnumValueOutsideSchema()
    {
        final int length = encode(PresenceSetStatusEncoder.TEMPLATE_ID, 2);
        final int status = OFFSET + HEADER + PresenceSetStatusEncoder.statusEncodingOffset();

        for (final int value : new int[]{ 3, 63, 64, 200, 255 })
        {
            buffer.putByte(status, (byte)value);
            assertThat(MessageValidator.validate(buffer, OFFSET, length)).isEqualTo(Rejection.INVALID_ENUM_VALUE);
        }

        final int updatesLength = encode(PresenceUpdateEncoder.TEMPLATE_ID, 2);
        final int firstStatus = OFFSET + HEADER + PresenceUpdateEncoder.BLOCK_LENGTH + 4;
        buffer.putByte(firstStatus, (byte)PresenceStatus.NULL_VAL.value());
        assertThat(MessageValidator.validate(buffer, OFFSET, updatesLength))
            .isEqualTo(Rejection.INVALID_ENUM_VALUE);
    }

    @Test
    void shouldNotAllocateWhenValidating()
    {
        final int length = encode(HistoryResponseEncoder.TEMPLATE_ID, 2);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long checksum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            checksum += MessageValidator.validate(buffer, OFFSET, length - (i & 1)).ordinal();
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++)
        {
            checksum += MessageValidator.validate(buffer, OFFSET, length - (i & 1)).ordinal();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(checksum).isPositive();
        assertThat(allocated).as("bytes allocated by 100,000 validations").isLessThan(1024);
    }

    private int encode(final int templateId, final int variant)
    {
        return codecs.encode(templateId, SampleMessages.sample(SchemaIr.IR.getMessage(templateId), variant),
            buffer, OFFSET);
    }

    private int encodePublish(final String channel, final byte[] payload)
    {
        return HEADER + new PublishEncoder().wrapAndApplyHeader(buffer, OFFSET, headerEncoder)
            .nodeId(7).correlationId(42).timestampNs(1_700_000_000_000_000_000L)
            .channel(channel).user("ada").messageId("m-1")
            .putPayload(payload, 0, payload.length)
            .encodedLength();
    }

    private int publishPayloadHeaderIndex()
    {
        final PublishDecoder decoder = new PublishDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        decoder.skipChannel();
        decoder.skipUser();
        decoder.skipMessageId();

        return decoder.limit();
    }
}
