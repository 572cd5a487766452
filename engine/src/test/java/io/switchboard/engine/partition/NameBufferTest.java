package io.switchboard.engine.partition;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

class NameBufferTest
{
    @Test
    void shouldEqualExactlyTheSameBytes()
    {
        qt().forAll(
            strings().basicLatinAlphabet().ofLengthBetween(0, 40),
            strings().basicLatinAlphabet().ofLengthBetween(0, 40))
            .checkAssert((a, b) ->
            {
                final NameBuffer name = new NameBuffer();
                final UnsafeBuffer other = new UnsafeBuffer(("##" + b).getBytes(StandardCharsets.UTF_8));
                name.set(new UnsafeBuffer(a.getBytes(StandardCharsets.UTF_8)), 0, a.length());

                assertThat(name.equalsName(other, 2, b.length())).isEqualTo(a.equals(b));
            });
    }

    @Test
    void shouldKeepItsStorageWhenGivenAShorterName()
    {
        final NameBuffer name = new NameBuffer();
        name.set(new UnsafeBuffer("a-rather-long-name".getBytes(StandardCharsets.US_ASCII)), 0, 18);
        final int capacity = name.buffer().capacity();

        name.set(new UnsafeBuffer("short".getBytes(StandardCharsets.US_ASCII)), 0, 5);

        assertThat(name.buffer().capacity()).isEqualTo(capacity);
        assertThat(name.length()).isEqualTo(5);
        assertThat(name.buffer().getStringWithoutLengthAscii(0, name.length())).isEqualTo("short");
    }
}
