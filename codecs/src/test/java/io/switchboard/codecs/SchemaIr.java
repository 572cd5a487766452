package io.switchboard.codecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.IrDecoder;
import uk.co.real_logic.sbe.ir.Token;

/**
 * The IR SbeTool generated from the schema at build time, loaded the way a tool would: from the jar's resource.
 */
final class SchemaIr
{
    static final String RESOURCE = "sbe/switchboard-schema.sbeir";
    static final Ir IR = load();

    private SchemaIr()
    {
    }

    /**
     * @return the token list of every message, in template id order.
     */
    static List<List<Token>> messages()
    {
        final List<List<Token>> messages = new ArrayList<>(IR.messages());
        messages.sort(Comparator.comparingInt((final List<Token> tokens) -> tokens.get(0).id()));

        return messages;
    }

    private static Ir load()
    {
        try (InputStream in = SchemaIr.class.getClassLoader().getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: was the build skipped?");
            }

            try (IrDecoder decoder = new IrDecoder(ByteBuffer.wrap(in.readAllBytes())))
            {
                return decoder.decode();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
