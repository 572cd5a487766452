package io.switchboard.codecs;

import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.agrona.DirectBuffer;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.otf.AbstractTokenListener;
import uk.co.real_logic.sbe.otf.OtfHeaderDecoder;
import uk.co.real_logic.sbe.otf.OtfMessageDecoder;
import uk.co.real_logic.sbe.otf.Types;

/**
 * Decodes a message with SBE's on-the-fly decoder, driven only by the IR, into the field maps of
 * {@link SampleMessages}: what the schema says is on the wire, independent of the generated code.
 * <p>
 * Not thread-safe.
 */
final class OtfFieldCollector extends AbstractTokenListener
{
    private final OtfHeaderDecoder headerDecoder = new OtfHeaderDecoder(SchemaIr.IR.headerStructure());
    private final Deque<Map<String, Object>> scopes = new ArrayDeque<>();
    private final Deque<List<Map<String, Object>>> groups = new ArrayDeque<>();
    private Map<String, Object> message;
    private int decodedLength;

    /**
     * @return the field map of the message at offset.
     */
    Map<String, Object> decode(final DirectBuffer buffer, final int offset)
    {
        final int templateId = headerDecoder.getTemplateId(buffer, offset);
        final List<Token> tokens = SchemaIr.IR.getMessage(templateId);
        if (null == tokens)
        {
            throw new IllegalArgumentException("template " + templateId + " is not in the IR");
        }

        final int bodyOffset = offset + headerDecoder.encodedLength();
        final int end = OtfMessageDecoder.decode(
            buffer,
            bodyOffset,
            headerDecoder.getSchemaVersion(buffer, offset),
            headerDecoder.getBlockLength(buffer, offset),
            tokens,
            this);
        decodedLength = end - offset;

        return message;
    }

    /**
     * @return the bytes the last {@link #decode} walked, header included.
     */
    int decodedLength()
    {
        return decodedLength;
    }

    public void onBeginMessage(final Token token)
    {
        message = new LinkedHashMap<>();
        scopes.clear();
        groups.clear();
        scopes.push(message);
    }

    public void onEncoding(
        final Token fieldToken, final DirectBuffer buffer, final int index, final Token typeToken, final int version)
    {
        scopes.element().put(fieldToken.name(), Types.getLong(buffer, index, typeToken.encoding()));
    }

    public void onEnum(
        final Token fieldToken,
        final DirectBuffer buffer,
        final int bufferIndex,
        final List<Token> tokens,
        final int fromIndex,
        final int toIndex,
        final int actingVersion)
    {
        final long value = Types.getLong(buffer, bufferIndex, tokens.get(fromIndex).encoding());
        String name = "UNKNOWN(" + value + ")";
        for (int i = fromIndex + 1; i < toIndex; i++)
        {
            final Token validValue = tokens.get(i);
            if (validValue.signal() == Signal.VALID_VALUE && validValue.encoding().constValue().longValue() == value)
            {
                name = validValue.name();
            }
        }
        scopes.element().put(fieldToken.name(), name);
    }

    public void onBitSet(
        final Token fieldToken,
        final DirectBuffer buffer,
        final int bufferIndex,
        final List<Token> tokens,
        final int fromIndex,
        final int toIndex,
        final int actingVersion)
    {
        final long bits = Types.getLong(buffer, bufferIndex, tokens.get(fromIndex).encoding());
        final TreeSet<String> choices = new TreeSet<>();
        for (int i = fromIndex + 1; i < toIndex; i++)
        {
            final Token choice = tokens.get(i);
            if (choice.signal() == Signal.CHOICE && 0 != (bits & (1L << choice.encoding().constValue().longValue())))
            {
                choices.add(choice.name());
            }
        }
        scopes.element().put(fieldToken.name(), choices);
    }

    public void onGroupHeader(final Token token, final int numInGroup)
    {
        final List<Map<String, Object>> entries = new ArrayList<>();
        scopes.element().put(token.name(), entries);
        if (numInGroup > 0)
        {
            groups.push(entries); // popped after the last entry, so an empty group must not be pushed
        }
    }

    public void onBeginGroup(final Token token, final int groupIndex, final int numInGroup)
    {
        final Map<String, Object> entry = new LinkedHashMap<>();
        groups.element().add(entry);
        scopes.push(entry);
    }

    public void onEndGroup(final Token token, final int groupIndex, final int numInGroup)
    {
        scopes.pop();
        if (groupIndex == numInGroup - 1)
        {
            groups.pop();
        }
    }

    public void onVarData(
        final Token fieldToken,
        final DirectBuffer buffer,
        final int bufferIndex,
        final int length,
        final Token typeToken)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(bufferIndex, bytes);
        final String characterEncoding = typeToken.encoding().characterEncoding();
        scopes.element().put(
            fieldToken.name(),
            null == characterEncoding ? new Blob(bytes) : new String(bytes, Charset.forName(characterEncoding)));
    }
}
