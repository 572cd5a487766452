package io.switchboard.codecs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

/**
 * Field values for every message of the schema, generated from the IR so that a field added to the schema gets a
 * value here without anyone remembering to add it, and the typed codecs in {@link TypedCodecs} must follow.
 * <p>
 * A message is a map from field name to value: {@link Long} for integers, the value's name for an enum, a sorted
 * set of choice names for a set, {@link String} for UTF-8 var-data, {@link Blob} for opaque var-data and a list of
 * such maps for a repeating group.
 * <p>
 * Variants choose the edge cases: 0 is all zero and empty with empty groups; 1 is every maximum (int and long
 * MAX_VALUE, 1024-byte multi-byte UTF-8 names, 65536-byte payloads, three entries per group, every set choice);
 * 2 is every minimum (MIN_VALUE); 3 is -1; the others vary. Enum values cycle with the variant and the group entry,
 * so {@link #VARIANTS} covers every value of every enum, and each set choice appears alone in some variant.
 */
final class SampleMessages
{
    static final int VARIANTS = 8;
    static final int MAX_VARIANT = 1;
    static final String MAX_NAME = maxName();
    static final int MAX_PAYLOAD_LENGTH = 65536;

    private SampleMessages()
    {
    }

    /**
     * @param message tokens of one message from the IR.
     * @param variant in [0, VARIANTS).
     * @return the values of every field, in schema order.
     */
    static Map<String, Object> sample(final List<Token> message, final int variant)
    {
        return fields(message, 1, message.size() - 1, variant, 0);
    }

    private static Map<String, Object> fields(
        final List<Token> tokens, final int from, final int to, final int variant, final int entry)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = from; i < to; i += tokens.get(i).componentTokenCount())
        {
            final Token token = tokens.get(i);
            switch (token.signal())
            {
                case BEGIN_FIELD:
                    fields.put(token.name(), fixedValue(tokens, i + 1, variant, entry));
                    break;

                case BEGIN_GROUP:
                {
                    final int bodyFrom = i + 1 + tokens.get(i + 1).componentTokenCount();
                    final int bodyTo = i + token.componentTokenCount() - 1;
                    final List<Map<String, Object>> entries = new ArrayList<>();
                    for (int e = 0, count = groupCount(variant); e < count; e++)
                    {
                        entries.add(fields(tokens, bodyFrom, bodyTo, variant, entry + e + 1));
                    }
                    fields.put(token.name(), entries);
                    break;
                }

                case BEGIN_VAR_DATA:
                {
                    final boolean isText = null != tokens.get(i + 3).encoding().characterEncoding();
                    fields.put(token.name(), isText ? name(token.name(), variant, entry) : payload(variant, entry));
                    break;
                }

                default:
                    throw new IllegalStateException("unexpected " + token);
            }
        }

        return fields;
    }

    private static Object fixedValue(final List<Token> tokens, final int typeIndex, final int variant, final int entry)
    {
        final Token type = tokens.get(typeIndex);
        switch (type.signal())
        {
            case ENCODING:
                return integer(type, variant, entry);

            case BEGIN_ENUM:
            {
                final List<String> names = new ArrayList<>();
                for (int i = typeIndex + 1; tokens.get(i).signal() == Signal.VALID_VALUE; i++)
                {
                    names.add(tokens.get(i).name());
                }
                return names.get((variant + entry) % names.size());
            }

            case BEGIN_SET:
            {
                final List<String> choices = new ArrayList<>();
                for (int i = typeIndex + 1; tokens.get(i).signal() == Signal.CHOICE; i++)
                {
                    choices.add(tokens.get(i).name());
                }
                final TreeSet<String> chosen = new TreeSet<>();
                if (MAX_VARIANT == variant)
                {
                    chosen.addAll(choices);
                }
                else if (0 != variant)
                {
                    chosen.add(choices.get((variant + entry) % choices.size()));
                }
                return chosen;
            }

            default:
                throw new IllegalStateException("no sample value for " + type);
        }
    }

    private static Long integer(final Token type, final int variant, final int entry)
    {
        final boolean isLong;
        switch (type.encoding().primitiveType())
        {
            case INT32:
                isLong = false;
                break;
            case INT64:
                isLong = true;
                break;
            default:
                throw new IllegalStateException("no sample value for " + type);
        }

        switch (variant)
        {
            case 0:
                return 0L;
            case 1:
                return isLong ? Long.MAX_VALUE : Integer.MAX_VALUE;
            case 2:
                return isLong ? Long.MIN_VALUE : Integer.MIN_VALUE;
            case 3:
                return -1L;
            default:
                return (long)(variant * 1_000_003 + entry * 7);
        }
    }

    private static int groupCount(final int variant)
    {
        return 0 == variant ? 0 : MAX_VARIANT == variant ? 3 : variant % 4;
    }

    private static String name(final String field, final int variant, final int entry)
    {
        switch (variant)
        {
            case 0:
                return "";
            case 1:
                return MAX_NAME;
            default:
                return field + '-' + variant + '.' + entry + " 频道 🚀 Zürich";
        }
    }

    private static Blob payload(final int variant, final int entry)
    {
        final int length = 0 == variant ? 0 : MAX_VARIANT == variant ? MAX_PAYLOAD_LENGTH : 100 + variant + entry;
        final byte[] bytes = new byte[length];
        new Random(31L * variant + entry).nextBytes(bytes);

        return new Blob(bytes);
    }

    private static String maxName()
    {
        // 12 bytes a repeat: CJK (3 + 3), an emoji outside the BMP (4, a surrogate pair in Java) and a Latin-1 (2).
        final String name = "频道😀é".repeat(85) + "abcd";
        if (name.getBytes(StandardCharsets.UTF_8).length != 1024)
        {
            throw new IllegalStateException("max name is not 1024 bytes");
        }

        return name;
    }
}
