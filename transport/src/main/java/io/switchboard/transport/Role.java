package io.switchboard.transport;

import io.switchboard.codecs.RolesDecoder;
import io.switchboard.codecs.RolesEncoder;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The roles a node can play (DESIGN.md, "Roles"). One process may play any set of them.
 */
public enum Role
{
    /**
     * Holds client sessions; subscribes to channel hosts and registers users with presence hosts.
     */
    GATEWAY,
    /**
     * Owns channel partitions: subscribers, sequence numbers, history.
     */
    CHANNEL,
    /**
     * Owns user partitions: connections, status, watchers.
     */
    PRESENCE,
    /**
     * HTTP server API and routing of publishes.
     */
    API;

    /**
     * @param text comma- or plus-separated role names, case-insensitive, or "all".
     * @return the roles.
     * @throws IllegalArgumentException naming the unknown role and the accepted ones.
     */
    public static Set<Role> parseSet(final String text)
    {
        final EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (final String part : text.split("[,+]"))
        {
            final String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty())
            {
                continue;
            }
            if ("ALL".equals(name))
            {
                roles.addAll(EnumSet.allOf(Role.class));
                continue;
            }
            try
            {
                roles.add(Role.valueOf(name));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(
                    "unknown role '" + part.trim() + "': use gateway, channel, presence, api or all", ex);
            }
        }
        if (roles.isEmpty())
        {
            throw new IllegalArgumentException("no role given: use gateway, channel, presence, api or all");
        }
        return roles;
    }

    /**
     * @param roles to encode.
     * @param encoder wrapped at the field.
     */
    public static void encode(final Set<Role> roles, final RolesEncoder encoder)
    {
        encoder.clear()
            .gateway(roles.contains(GATEWAY))
            .channel(roles.contains(CHANNEL))
            .presence(roles.contains(PRESENCE))
            .api(roles.contains(API));
    }

    /**
     * @param decoder wrapped at the field.
     * @return the roles it holds.
     */
    public static Set<Role> decode(final RolesDecoder decoder)
    {
        final EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        if (decoder.gateway())
        {
            roles.add(GATEWAY);
        }
        if (decoder.channel())
        {
            roles.add(CHANNEL);
        }
        if (decoder.presence())
        {
            roles.add(PRESENCE);
        }
        if (decoder.api())
        {
            roles.add(API);
        }
        return roles;
    }

    /**
     * @param roles to print.
     * @return lower-case names joined by '+'.
     */
    public static String format(final Set<Role> roles)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Role role : roles)
        {
            if (sb.length() > 0)
            {
                sb.append('+');
            }
            sb.append(role.name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
