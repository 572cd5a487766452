package io.switchboard.gateway.support;

import org.quicktheories.core.Gen;

import java.util.List;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Generators of text for property tests: any Unicode scalar values (every plane, no lone surrogates), with ASCII,
 * quotes, backslashes and control characters weighted in so escaping and short names are well exercised.
 */
public final class Texts
{
    private static final int SURROGATES = 0xE000 - 0xD800;

    private Texts()
    {
    }

    /**
     * @param maxCodePoints longest text in code points.
     * @return text made of well-formed code points.
     */
    public static Gen<String> wellFormed(final int maxCodePoints)
    {
        final Gen<Integer> anyScalar = integers().between(0, 0x10FFFF - SURROGATES)
            .map(value -> value >= 0xD800 ? value + SURROGATES : value);
        final Gen<Integer> ascii = integers().between(0, 0x7F);
        final Gen<Integer> codePoint = anyScalar.mix(ascii, 50);
        return lists().of(codePoint).ofSizeBetween(0, maxCodePoints).map(Texts::text);
    }

    private static String text(final List<Integer> codePoints)
    {
        final StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }
}
