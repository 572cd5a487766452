package io.switchboard.codecs;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks that an SBE message of the Switchboard schema can be decoded by the generated decoders without reading
 * outside the bytes it arrived in, before any of it reaches a shard.
 * <p>
 * The message is walked as the generated decoder walks it: header, fixed block (of the header's blockLength),
 * each repeating group (header, then numInGroup entries of the group's blockLength with their var-data) and each
 * var-data field (length prefix, then that many bytes). Every read is bounds-checked against
 * {@code [offset, offset + length)} first, so no read ever leaves that range; nothing is thrown and nothing is
 * allocated.
 * <p>
 * Version rules, following SBE's extension rule: a newer sender may lengthen a fixed block or a group block and may
 * append groups or var-data after ours, so a blockLength larger than ours is accepted and, for versions newer than
 * ours, so are bytes after our last var-data. A blockLength smaller than ours is rejected, as is any trailing byte
 * in a message of our version or older: an Aeron fragment carries exactly one message.
 * <p>
 * Not checked, because the generated decoder cannot fail on them: the UTF-8 well-formedness of names (decoding
 * substitutes malformed sequences) and unknown bits of sets (their getters ignore them).
 * <p>
 * Stateless and thread-safe.
 */
public final class MessageValidator
{
    /**
     * Length of the SBE message header that starts every message.
     */
    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private static final Rejection[] REJECTIONS = Rejection.values();
    private static final int BLOCK_LENGTH_OFFSET = MessageHeaderDecoder.blockLengthEncodingOffset();
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int SCHEMA_ID_OFFSET = MessageHeaderDecoder.schemaIdEncodingOffset();
    private static final int VERSION_OFFSET = MessageHeaderDecoder.versionEncodingOffset();
    private static final int NUM_IN_GROUP_OFFSET = GroupSizeEncodingDecoder.numInGroupEncodingOffset();
    private static final int GROUP_BLOCK_LENGTH_OFFSET = GroupSizeEncodingDecoder.blockLengthEncodingOffset();

    private MessageValidator()
    {
    }

    /**
     * Validate one message.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param length of the message as framed by the transport: header, body and nothing else.
     * @return {@link Rejection#NONE} when the message is sound, otherwise the first rule it breaks.
     */
    public static Rejection validate(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = walk(buffer, offset, length);
        if (end < 0)
        {
            return REJECTIONS[-end];
        }

        if (end != offset + length && version(buffer, offset) <= MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return Rejection.TRAILING_BYTES;
        }

        return Rejection.NONE;
    }

    /**
     * The number of bytes a message occupies as this schema version reads it: header, fixed block, groups and
     * var-data, excluding anything a newer version appended.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param length available for the message.
     * @return the length, or -1 when the message cannot be walked inside {@code length} bytes.
     */
    public static int messageLength(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = walk(buffer, offset, length);

        return end < 0 ? -1 : end - offset;
    }

    /**
     * Name a message for an error report without decoding it.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param length available for the message.
     * @return the schema's name for the message's template, or {@code "UNKNOWN"} when the header is truncated,
     * of another schema or names no template of ours.
     */
    public static String templateName(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isRangeValid(buffer, offset, length) ||
            length < HEADER_LENGTH ||
            MessageHeaderDecoder.SCHEMA_ID != uint16(buffer, offset + SCHEMA_ID_OFFSET))
        {
            return "UNKNOWN";
        }

        final MessageLayout layout = MessageLayout.forTemplateId(uint16(buffer, offset + TEMPLATE_ID_OFFSET));

        return null == layout ? "UNKNOWN" : layout.name;
    }

    /**
     * Walk a message and return the index just past the last byte this schema version reads, or the negated
     * ordinal of the {@link Rejection} when the walk cannot complete inside the range.
     */
    private static int walk(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isRangeValid(buffer, offset, length))
        {
            return -Rejection.INVALID_RANGE.ordinal();
        }

        if (length < HEADER_LENGTH)
        {
            return -Rejection.TRUNCATED_HEADER.ordinal();
        }

        if (MessageHeaderDecoder.SCHEMA_ID != uint16(buffer, offset + SCHEMA_ID_OFFSET))
        {
            return -Rejection.WRONG_SCHEMA_ID.ordinal();
        }

        final MessageLayout layout = MessageLayout.forTemplateId(uint16(buffer, offset + TEMPLATE_ID_OFFSET));
        if (null == layout)
        {
            return -Rejection.UNKNOWN_TEMPLATE.ordinal();
        }

        final int blockLength = uint16(buffer, offset + BLOCK_LENGTH_OFFSET);
        if (blockLength < layout.blockLength)
        {
            return -Rejection.BLOCK_LENGTH_TOO_SHORT.ordinal();
        }

        return walkBody(
            buffer, offset + HEADER_LENGTH, offset + length, blockLength, layout, Rejection.TRUNCATED_BLOCK);
    }

    /**
     * Walk a message body or one group entry: fixed block, groups, var-data.
     */
    private static int walkBody(
        final DirectBuffer buffer,
        final int start,
        final int limit,
        final int blockLength,
        final MessageLayout layout,
        final Rejection truncated)
    {
        if (blockLength > limit - start)
        {
            return -truncated.ordinal();
        }

        for (final MessageLayout.EnumField field : layout.enumFields)
        {
            final int value = buffer.getByte(start + field.offset()) & 0xFF;
            if (value >= Long.SIZE || 0 == (field.validValues() & (1L << value)))
            {
                return -Rejection.INVALID_ENUM_VALUE.ordinal();
            }
        }

        int position = start + blockLength;
        for (final MessageLayout group : layout.groups)
        {
            position = walkGroup(buffer, position, limit, group);
            if (position < 0)
            {
                return position;
            }
        }

        for (final MessageLayout.VarData data : layout.varData)
        {
            final int headerLength = data.headerLength();
            if (headerLength > limit - position)
            {
                return -Rejection.VAR_DATA_PAST_END.ordinal();
            }

            final long dataLength = unsigned(buffer, position, headerLength);
            if (dataLength > data.maxLength())
            {
                return -Rejection.VAR_DATA_TOO_LONG.ordinal();
            }

            position += headerLength;
            if (dataLength > limit - position)
            {
                return -Rejection.VAR_DATA_PAST_END.ordinal();
            }
            position += (int)dataLength;
        }

        return position;
    }

    private static int walkGroup(final DirectBuffer buffer, final int start, final int limit, final MessageLayout group)
    {
        if (MessageLayout.GROUP_HEADER_LENGTH > limit - start)
        {
            return -Rejection.GROUP_PAST_END.ordinal();
        }

        final int blockLength = uint16(buffer, start + GROUP_BLOCK_LENGTH_OFFSET);
        final int numInGroup = uint16(buffer, start + NUM_IN_GROUP_OFFSET);
        if (blockLength < group.blockLength)
        {
            return -Rejection.GROUP_BLOCK_LENGTH_TOO_SHORT.ordinal();
        }

        int position = start + MessageLayout.GROUP_HEADER_LENGTH;
        // Reject an impossible count up front so a forged numInGroup costs one multiplication, not 65535 steps.
        if ((long)numInGroup * (blockLength + group.minTailLength) > limit - position)
        {
            return -Rejection.GROUP_PAST_END.ordinal();
        }

        for (int i = 0; i < numInGroup; i++)
        {
            position = walkBody(buffer, position, limit, blockLength, group, Rejection.GROUP_PAST_END);
            if (position < 0)
            {
                // Running out of bytes anywhere in an entry means the group is longer than the message.
                return -Rejection.VAR_DATA_PAST_END.ordinal() == position ?
                    -Rejection.GROUP_PAST_END.ordinal() : position;
            }
        }

        return position;
    }

    private static boolean isRangeValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return null != buffer && offset >= 0 && length >= 0 && offset <= buffer.capacity() - length;
    }

    private static int version(final DirectBuffer buffer, final int offset)
    {
        return uint16(buffer, offset + VERSION_OFFSET);
    }

    private static int uint16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, LITTLE_ENDIAN) & 0xFFFF;
    }

    private static long unsigned(final DirectBuffer buffer, final int index, final int length)
    {
        switch (length)
        {
            case 1:
                return buffer.getByte(index) & 0xFFL;
            case 2:
                return buffer.getShort(index, LITTLE_ENDIAN) & 0xFFFFL;
            case 4:
                return buffer.getInt(index, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            default:
                return Long.MAX_VALUE; // MessageLayout admits no other length prefix; never accept one.
        }
    }
}
