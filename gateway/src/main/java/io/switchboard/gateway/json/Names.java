package io.switchboard.gateway.json;

import java.nio.charset.StandardCharsets;

/**
 * Rules for names that travel to hosts (channels, users, message ids, emoji, event names): 1 to 1024 bytes of
 * UTF-8, no control characters, no unpaired surrogates.
 * <p>
 * Thread-safe (stateless).
 */
public final class Names
{
    /** Longest name in UTF-8 bytes, as the SBE schema allows. */
    public static final int MAX_NAME_BYTES = 1024;

    private Names()
    {
    }

    /**
     * @param name to check, may be null.
     * @return true when it may be sent to a host.
     */
    public static boolean isValid(final String name)
    {
        if (null == name || name.isEmpty() || name.length() > MAX_NAME_BYTES)
        {
            return false;
        }
        int bytes = 0;
        for (int i = 0, length = name.length(); i < length; i++)
        {
            final char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f)
            {
                return false;
            }
            if (Character.isHighSurrogate(c))
            {
                if (i + 1 >= length || !Character.isLowSurrogate(name.charAt(i + 1)))
                {
                    return false;
                }
                i++;
                bytes += 4;
            }
            else if (Character.isLowSurrogate(c))
            {
                return false;
            }
            else
            {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        return bytes <= MAX_NAME_BYTES;
    }

    /**
     * @param name a valid name.
     * @return its UTF-8 bytes.
     */
    public static byte[] utf8(final String name)
    {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
