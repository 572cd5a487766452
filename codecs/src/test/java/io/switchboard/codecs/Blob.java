package io.switchboard.codecs;

import java.util.Arrays;

/**
 * Opaque var-data (a payload) compared by content, so decoded field maps can be compared with equals.
 */
final class Blob
{
    /**
     * Reads var-data into an array, as the generated {@code getXxx(byte[], int, int)} methods do.
     */
    @FunctionalInterface
    interface Reader
    {
        int read(byte[] dst, int dstOffset, int length);
    }

    private final byte[] bytes;

    Blob(final byte[] bytes)
    {
        this.bytes = bytes;
    }

    static Blob read(final int length, final Reader reader)
    {
        final byte[] bytes = new byte[length];
        final int read = reader.read(bytes, 0, length);
        if (read != length)
        {
            throw new IllegalStateException("read " + read + " of " + length + " bytes");
        }

        return new Blob(bytes);
    }

    byte[] bytes()
    {
        return bytes;
    }

    int length()
    {
        return bytes.length;
    }

    public boolean equals(final Object other)
    {
        return other instanceof Blob && Arrays.equals(bytes, ((Blob)other).bytes);
    }

    public int hashCode()
    {
        return Arrays.hashCode(bytes);
    }

    public String toString()
    {
        return "Blob(" + bytes.length + " bytes, hash " + Integer.toHexString(hashCode()) + ")";
    }
}
