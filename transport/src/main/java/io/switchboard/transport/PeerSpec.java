package io.switchboard.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A statically configured peer: {@code id=roles@channel}, e.g. {@code 2=channel+presence@aeron:udp?endpoint=10.0.0.2:40100}.
 * Several peers are separated by ';' or whitespace. Roles are joined by '+'.
 *
 * @param nodeId  the peer's node id.
 * @param roles   what it serves; used for placement before its first heartbeat arrives.
 * @param channel the Aeron channel on which it receives.
 */
public record PeerSpec(int nodeId, Set<Role> roles, String channel)
{
    /**
     * @param text one or more specs.
     * @return the parsed specs, in order.
     * @throws IllegalArgumentException showing the expected form.
     */
    public static List<PeerSpec> parseList(final String text)
    {
        final List<PeerSpec> specs = new ArrayList<>();
        if (null == text || text.isBlank())
        {
            return specs;
        }
        for (final String part : text.trim().split("[;\\s]+"))
        {
            specs.add(parse(part));
        }
        return specs;
    }

    /**
     * @param text one spec.
     * @return the parsed spec.
     * @throws IllegalArgumentException showing the expected form.
     */
    public static PeerSpec parse(final String text)
    {
        final int equals = text.indexOf('=');
        final int at = text.indexOf('@');
        if (equals <= 0 || at <= equals + 1 || at == text.length() - 1)
        {
            throw new IllegalArgumentException(
                "bad peer '" + text + "': expected id=roles@channel, e.g. 2=channel@aeron:udp?endpoint=10.0.0.2:40100");
        }
        final int nodeId;
        try
        {
            nodeId = Integer.parseInt(text.substring(0, equals).trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad peer '" + text + "': node id must be an integer", ex);
        }
        final String channel = text.substring(at + 1).trim();
        if (!channel.startsWith("aeron:"))
        {
            throw new IllegalArgumentException("bad peer '" + text + "': channel must be an Aeron URI (aeron:udp?... or aeron:ipc)");
        }
        return new PeerSpec(nodeId, Role.parseSet(text.substring(equals + 1, at)), channel);
    }

    /**
     * @return the spec in the form {@link #parse} reads.
     */
    public String toString()
    {
        return nodeId + "=" + Role.format(roles) + "@" + channel;
    }
}
