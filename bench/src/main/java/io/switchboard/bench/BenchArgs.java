package io.switchboard.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the form {@code --name value}, checked against the names a program accepts so a typo
 * fails at once instead of silently running the default.
 * <p>
 * Not thread-safe: parse and read on the main thread.
 */
final class BenchArgs
{
    private final Map<String, String> values = new HashMap<>();

    /**
     * @param args     the command line.
     * @param accepted option names without the leading dashes.
     * @param usage    printed with the error.
     * @throws IllegalArgumentException naming the bad option, with the usage.
     */
    BenchArgs(final String[] args, final Set<String> accepted, final String usage)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("-h".equals(arg) || "--help".equals(arg))
            {
                System.out.println(usage);
                System.exit(0);
            }
            if (!arg.startsWith("--") || !accepted.contains(arg.substring(2)) || i + 1 >= args.length)
            {
                throw new IllegalArgumentException("bad option '" + arg + "'\n" + usage);
            }
            values.put(arg.substring(2), args[++i]);
        }
    }

    String string(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
    }

    int integer(final String name, final int defaultValue)
    {
        final String value = values.get(name);
        return null == value ? defaultValue : Integer.parseInt(value.replace("_", ""));
    }

    long longValue(final String name, final long defaultValue)
    {
        final String value = values.get(name);
        return null == value ? defaultValue : Long.parseLong(value.replace("_", ""));
    }

    boolean has(final String name)
    {
        return values.containsKey(name);
    }
}
