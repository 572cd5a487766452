package io.switchboard.gateway.core;

import io.switchboard.gateway.support.Texts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arrays;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * The gateway's channel table against a HashMap as the model, through growth and removals that shift runs back, and
 * its lookup by the UTF-8 bytes a host sends: the same channel as by the String, for any text, and never a wrong
 * channel or an exception for bytes that are not UTF-8.
 */
class ChannelTableTest
{
    @Test
    void shouldAgreeWithAMapThroughPutsRemovalsAndGrowth()
    {
        final Random random = new Random(7);
        final ChannelTable table = new ChannelTable();
        final Map<String, LocalChannel> model = new HashMap<>();
        // Few distinct names, so runs of collisions form, break and re-form as names come and go.
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < 3000; i++)
        {
            names.add(i % 3 == 0 ? "kanał-" + i : i % 3 == 1 ? "c" + i : "𝄞" + i);
        }
        for (int step = 0; step < 200_000; step++)
        {
            final String name = names.get(random.nextInt(names.size()));
            final LocalChannel present = model.get(name);
            if (null == present && random.nextInt(3) > 0)
            {
                final LocalChannel channel = new LocalChannel(name, 1);
                table.put(channel);
                model.put(name, channel);
            }
            else if (null != present && random.nextBoolean())
            {
                assertThat(table.remove(new LocalChannel(name, 1))).isFalse(); // another channel of the same name
                assertThat(table.remove(present)).isTrue();
                assertThat(table.remove(present)).isFalse();
                model.remove(name);
            }
            assertThat(table.get(name)).isSameAs(model.get(name));
            assertThat(table.get(bytes(name), 0, bytes(name).capacity())).isSameAs(model.get(name));
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (final String name : names)
        {
            assertThat(table.get(name)).isSameAs(model.get(name));
        }
        final Set<LocalChannel> walked = new HashSet<>();
        table.forEach(channel -> assertThat(walked.add(channel)).isTrue());
        assertThat(walked).containsExactlyInAnyOrderElementsOf(model.values());
    }

    @Test
    void shouldRefuseASecondChannelOfTheSameName()
    {
        final ChannelTable table = new ChannelTable();
        table.put(new LocalChannel("general", 1));
        assertThatThrownBy(() -> table.put(new LocalChannel("general", 2))).isInstanceOf(IllegalStateException.class);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldFindAChannelByItsUtf8BytesForAnyText()
    {
        qt().withExamples(2000).forAll(Texts.wellFormed(20)).checkAssert(name ->
        {
            final ChannelTable table = new ChannelTable();
            final LocalChannel channel = new LocalChannel(name, 1);
            table.put(channel);
            table.put(new LocalChannel(name + "x", 1));
            final UnsafeBuffer utf8 = bytes(name);
            assertThat(ChannelTable.utf16(utf8, 0, utf8.capacity(), null)).isEqualTo(name.hashCode() & 0xffff_ffffL);
            assertThat(table.get(utf8, 0, utf8.capacity())).isSameAs(channel);
            assertThat(table.get(bytes("y" + name), 0, utf8.capacity() + 1)).isNull();
        });
    }

    @Test
    void shouldNeverFindAWrongChannelForBytesThatAreNotUtf8()
    {
        final ChannelTable table = new ChannelTable();
        for (int i = 0; i < 256; i++)
        {
            // One-character names of every Latin-1 letter: what a byte misread as a character would hit.
            table.put(new LocalChannel(String.valueOf((char)i), 1));
        }
        qt().withExamples(5000).forAll(arrays().ofIntegers(integers().between(0, 255)).withLengthBetween(0, 8))
            .checkAssert(values ->
            {
                final byte[] raw = new byte[values.length];
                for (int i = 0; i < raw.length; i++)
                {
                    raw[i] = (byte)(int)values[i];
                }
                final LocalChannel found = table.get(new UnsafeBuffer(raw), 0, raw.length);
                if (null != found)
                {
                    assertThat(found.name.getBytes(StandardCharsets.UTF_8)).isEqualTo(raw);
                }
            });
        assertThat(table.get(new UnsafeBuffer(new byte[] { (byte)0xC3 }), 0, 1)).isNull(); // truncated 'Ã'
        assertThat(table.get(new UnsafeBuffer(new byte[] { (byte)0xC3, (byte)0x83 }), 0, 2)).isSameAs(table.get("Ã"));
        assertThat(table.get(new UnsafeBuffer(new byte[] { (byte)0xC1, (byte)0x81 }), 0, 2)).isNull(); // overlong 'A'
    }

    @Test
    void shouldRefuseToWalkOnWhenTheVisitorRemovesAChannel()
    {
        final ChannelTable table = new ChannelTable();
        table.put(new LocalChannel("a", 1));
        table.put(new LocalChannel("b", 1));
        assertThatThrownBy(() -> table.forEach(table::remove)).isInstanceOf(ConcurrentModificationException.class);
    }

    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
