package io.switchboard.codecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What {@link MessageValidator} knows of one message or repeating group of the schema: the fixed block length, the
 * enum fields inside it, then the repeating groups and var-data fields in wire order.
 * <p>
 * The table is written by hand from the schema, taking lengths, offsets and limits from the generated codecs where
 * they exist; {@code MessageLayoutIrTest} compares it with the IR SbeTool generates so that a schema change the
 * table does not follow fails the build.
 * <p>
 * Immutable once the class is initialised, hence thread-safe.
 */
final class MessageLayout
{
    /**
     * A var-data encoding: the size of its length prefix and the largest length the schema allows.
     */
    record VarData(int headerLength, long maxLength)
    {
        public String toString()
        {
            return headerLength + "<=" + maxLength;
        }
    }

    /**
     * A one-byte enum field at an offset of the fixed block; bit v of validValues is set when v is a valid value.
     */
    record EnumField(int offset, String typeName, long validValues)
    {
        public String toString()
        {
            final StringBuilder builder = new StringBuilder().append('@').append(offset).append(':').append(typeName);
            builder.append('{');
            for (int value = 0; value < Long.SIZE; value++)
            {
                if (0 != (validValues & (1L << value)))
                {
                    builder.append(value).append(',');
                }
            }
            builder.setLength(builder.length() - 1);

            return builder.append('}').toString();
        }
    }

    static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    static final VarData NAME = new VarData(
        NameEncodingDecoder.lengthEncodingLength(), NameEncodingDecoder.lengthMaxValue());
    static final VarData PAYLOAD = new VarData(
        PayloadEncodingDecoder.lengthEncodingLength(), PayloadEncodingDecoder.lengthMaxValue());

    private static final long BOOLEAN = validValues(BooleanType.values(), BooleanType::value);
    private static final long PRESENCE_STATUS = validValues(PresenceStatus.values(), PresenceStatus::value);
    private static final long ERROR_CODE = validValues(ErrorCode.values(), ErrorCode::value);
    private static final EnumField[] NO_ENUMS = {};
    private static final MessageLayout[] NO_GROUPS = {};

    private static final MessageLayout[] BY_TEMPLATE_ID = byTemplateId(
        message("NodeHeartbeat", NodeHeartbeatDecoder.TEMPLATE_ID, NodeHeartbeatDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME, NAME),
        message("NodeLost", NodeLostDecoder.TEMPLATE_ID, NodeLostDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS),
        message("Subscribe", SubscribeDecoder.TEMPLATE_ID, SubscribeDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME),
        message("Unsubscribe", UnsubscribeDecoder.TEMPLATE_ID, UnsubscribeDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME),
        message("Publish", PublishDecoder.TEMPLATE_ID, PublishDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME, NAME, PAYLOAD),
        message("Transient", TransientDecoder.TEMPLATE_ID, TransientDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME, NAME, PAYLOAD),
        message("TransientEvent", TransientEventDecoder.TEMPLATE_ID, TransientEventDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME, NAME, PAYLOAD),
        message("React", ReactDecoder.TEMPLATE_ID, ReactDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME, NAME, NAME),
        message("HistoryRequest", HistoryRequestDecoder.TEMPLATE_ID, HistoryRequestDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME),
        message("Subscribed", SubscribedDecoder.TEMPLATE_ID, SubscribedDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME),
        message("PublishAck", PublishAckDecoder.TEMPLATE_ID, PublishAckDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME),
        message("ChannelEvent", ChannelEventDecoder.TEMPLATE_ID, ChannelEventDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME, NAME, PAYLOAD),
        message("ReactionBatch", ReactionBatchDecoder.TEMPLATE_ID, ReactionBatchDecoder.BLOCK_LENGTH,
            NO_ENUMS,
            groups(group("counts", ReactionBatchDecoder.CountsDecoder.sbeBlockLength(), NO_ENUMS, NAME)),
            NAME, NAME),
        message("HistoryResponse", HistoryResponseDecoder.TEMPLATE_ID, HistoryResponseDecoder.BLOCK_LENGTH,
            enums(new EnumField(HistoryResponseDecoder.completeEncodingOffset(), "BooleanType", BOOLEAN)),
            groups(group("messages", HistoryResponseDecoder.MessagesDecoder.sbeBlockLength(), NO_ENUMS,
                NAME, NAME, PAYLOAD)),
            NAME),
        message("ErrorResponse", ErrorResponseDecoder.TEMPLATE_ID, ErrorResponseDecoder.BLOCK_LENGTH,
            enums(new EnumField(ErrorResponseDecoder.codeEncodingOffset(), "ErrorCode", ERROR_CODE)),
            NO_GROUPS, NAME, NAME),
        message("PresenceConnect", PresenceConnectDecoder.TEMPLATE_ID, PresenceConnectDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME),
        message("PresenceDisconnect", PresenceDisconnectDecoder.TEMPLATE_ID, PresenceDisconnectDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME),
        message("PresenceWatch", PresenceWatchDecoder.TEMPLATE_ID, PresenceWatchDecoder.BLOCK_LENGTH,
            NO_ENUMS,
            groups(group("users", PresenceWatchDecoder.UsersDecoder.sbeBlockLength(), NO_ENUMS, NAME))),
        message("PresenceUnwatch", PresenceUnwatchDecoder.TEMPLATE_ID, PresenceUnwatchDecoder.BLOCK_LENGTH,
            NO_ENUMS,
            groups(group("users", PresenceUnwatchDecoder.UsersDecoder.sbeBlockLength(), NO_ENUMS, NAME))),
        message("PresenceSetStatus", PresenceSetStatusDecoder.TEMPLATE_ID, PresenceSetStatusDecoder.BLOCK_LENGTH,
            enums(new EnumField(PresenceSetStatusDecoder.statusEncodingOffset(), "PresenceStatus", PRESENCE_STATUS)),
            NO_GROUPS, NAME),
        message("PresenceQuery", PresenceQueryDecoder.TEMPLATE_ID, PresenceQueryDecoder.BLOCK_LENGTH,
            NO_ENUMS,
            groups(group("users", PresenceQueryDecoder.UsersDecoder.sbeBlockLength(), NO_ENUMS, NAME))),
        message("PresenceUpdate", PresenceUpdateDecoder.TEMPLATE_ID, PresenceUpdateDecoder.BLOCK_LENGTH,
            NO_ENUMS,
            groups(group("updates", PresenceUpdateDecoder.UpdatesDecoder.sbeBlockLength(),
                enums(new EnumField(
                PresenceUpdateDecoder.UpdatesDecoder.statusEncodingOffset(), "PresenceStatus", PRESENCE_STATUS)),
                NAME))),
        message("Drain", DrainDecoder.TEMPLATE_ID, DrainDecoder.BLOCK_LENGTH,
            NO_ENUMS, NO_GROUPS, NAME, NAME),
        message("MembershipChange", MembershipChangeDecoder.TEMPLATE_ID, MembershipChangeDecoder.BLOCK_LENGTH,
            NO_ENUMS,
            groups(
                group("join", MembershipChangeDecoder.JoinDecoder.sbeBlockLength(), NO_ENUMS, NAME),
                group("leave", MembershipChangeDecoder.LeaveDecoder.sbeBlockLength(), NO_ENUMS, NAME)),
            NAME));

    final String name;
    final int templateId;
    final int blockLength;
    final EnumField[] enumFields;
    final MessageLayout[] groups;
    final VarData[] varData;

    /**
     * The fewest bytes one entry takes after its fixed block (every group header and var-data length prefix), which
     * bounds numInGroup before the entries are walked.
     */
    final int minTailLength;

    private MessageLayout(
        final String name,
        final int templateId,
        final int blockLength,
        final EnumField[] enumFields,
        final MessageLayout[] groups,
        final VarData[] varData)
    {
        this.name = name;
        this.templateId = templateId;
        this.blockLength = blockLength;
        this.enumFields = enumFields;
        this.groups = groups;
        this.varData = varData;

        int minTailLength = groups.length * GROUP_HEADER_LENGTH;
        for (final VarData data : varData)
        {
            if (1 != data.headerLength() && 2 != data.headerLength() && 4 != data.headerLength())
            {
                throw new IllegalStateException(name + ": var-data length prefix of " + data.headerLength());
            }
            minTailLength += data.headerLength();
        }
        this.minTailLength = minTailLength;

        for (final EnumField field : enumFields)
        {
            if (field.offset() + 1 > blockLength)
            {
                throw new IllegalStateException(name + ": enum field at " + field.offset() + " outside the block");
            }
        }
    }

    /**
     * The layout of a message.
     *
     * @param templateId from the message header.
     * @return the layout or null when the schema has no such message.
     */
    static MessageLayout forTemplateId(final int templateId)
    {
        return templateId >= 0 && templateId < BY_TEMPLATE_ID.length ? BY_TEMPLATE_ID[templateId] : null;
    }

    /**
     * Every message layout, in template id order; allocates, for tests and tools.
     *
     * @return the layouts.
     */
    static List<MessageLayout> all()
    {
        final List<MessageLayout> layouts = new ArrayList<>();
        for (final MessageLayout layout : BY_TEMPLATE_ID)
        {
            if (null != layout)
            {
                layouts.add(layout);
            }
        }

        return layouts;
    }

    /**
     * A canonical description of the layout, which {@code MessageLayoutIrTest} builds from the IR as well.
     *
     * @return e.g. {@code Subscribe id=10 block=12 enums=[] groups=[] data=[2<=1024]}.
     */
    public String toString()
    {
        return name + (templateId >= 0 ? " id=" + templateId : "") + " block=" + blockLength +
            " enums=" + Arrays.toString(enumFields) + " groups=" + Arrays.toString(groups) +
            " data=" + Arrays.toString(varData);
    }

    private static MessageLayout message(
        final String name,
        final int templateId,
        final int blockLength,
        final EnumField[] enumFields,
        final MessageLayout[] groups,
        final VarData... varData)
    {
        return new MessageLayout(name, templateId, blockLength, enumFields, groups, varData);
    }

    private static MessageLayout group(
        final String name, final int blockLength, final EnumField[] enumFields, final VarData... varData)
    {
        return new MessageLayout(name, -1, blockLength, enumFields, NO_GROUPS, varData);
    }

    private static EnumField[] enums(final EnumField... fields)
    {
        return fields;
    }

    private static MessageLayout[] groups(final MessageLayout... groups)
    {
        return groups;
    }

    private static MessageLayout[] byTemplateId(final MessageLayout... messages)
    {
        int maxTemplateId = 0;
        for (final MessageLayout message : messages)
        {
            maxTemplateId = Math.max(maxTemplateId, message.templateId);
        }

        final MessageLayout[] byTemplateId = new MessageLayout[maxTemplateId + 1];
        for (final MessageLayout message : messages)
        {
            if (null != byTemplateId[message.templateId])
            {
                throw new IllegalStateException("duplicate template id " + message.templateId);
            }
            byTemplateId[message.templateId] = message;
        }

        return byTemplateId;
    }

    private static <E extends Enum<E>> long validValues(final E[] values, final ToIntFunction<E> rawValue)
    {
        long mask = 0;
        for (final E value : values)
        {
            // NULL_VAL is what the decoder returns for the null value; a required field must never carry it.
            if (!"NULL_VAL".equals(value.name()))
            {
                final int raw = rawValue.applyAsInt(value);
                if (raw < 0 || raw >= Long.SIZE)
                {
                    throw new IllegalStateException(value + " = " + raw + " does not fit the validator's bit mask");
                }
                mask |= 1L << raw;
            }
        }

        return mask;
    }
}
