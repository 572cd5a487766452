package io.switchboard.codecs;

/**
 * Why {@link MessageValidator} refused a message, or {@link #NONE} when it accepted it.
 * <p>
 * Every value names the first rule the message broke while being walked front to back, so a counter per value
 * tells an operator what kind of damage or misuse is arriving.
 */
public enum Rejection
{
    /**
     * The message is sound: every read the generated decoder makes stays inside the given range.
     */
    NONE,

    /**
     * The offset and length given do not lie inside the buffer (or there is no buffer): a caller bug.
     */
    INVALID_RANGE,

    /**
     * Fewer bytes than the 8-byte message header.
     */
    TRUNCATED_HEADER,

    /**
     * The header's schema id is not Switchboard's (7301): another protocol on the same stream.
     */
    WRONG_SCHEMA_ID,

    /**
     * The header's template id is not a message of this schema.
     */
    UNKNOWN_TEMPLATE,

    /**
     * The header's blockLength is smaller than the fixed block of this schema version: fields the decoder reads
     * would overlap the groups and var-data that follow.
     */
    BLOCK_LENGTH_TOO_SHORT,

    /**
     * The fixed block, as long as the header's blockLength says, runs past the end of the message.
     */
    TRUNCATED_BLOCK,

    /**
     * A fixed enum field holds a value the schema does not define (or its null value), which the generated decoder
     * would turn into an exception.
     */
    INVALID_ENUM_VALUE,

    /**
     * A repeating group's blockLength is smaller than the group's fixed fields in this schema version.
     */
    GROUP_BLOCK_LENGTH_TOO_SHORT,

    /**
     * A repeating group's header, or its entries (numInGroup times blockLength plus their var-data), run past the
     * end of the message.
     */
    GROUP_PAST_END,

    /**
     * A var-data length header, or the bytes it announces, run past the end of the message.
     */
    VAR_DATA_PAST_END,

    /**
     * A var-data length is above the schema's maxValue: 1024 bytes for a name, 65536 for a payload.
     */
    VAR_DATA_TOO_LONG,

    /**
     * Bytes follow the last var-data of a message whose version is not newer than ours. An Aeron fragment carries
     * exactly one message, so they can only be damage or a framing bug; a newer version may legitimately append
     * groups or var-data and is accepted.
     */
    TRAILING_BYTES
}
