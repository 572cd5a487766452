package io.switchboard.gateway.auth;

import java.util.Set;

/**
 * Who a connection belongs to and which channels it may use, as established at connect time (token claims, plus
 * the connect proxy's answer when one is configured).
 *
 * @param user     the user id (the token's {@code sub}).
 * @param channels channels the user may subscribe, publish and react to.
 */
public record Principal(String user, Set<String> channels)
{
    /**
     * @param user     the user id.
     * @param channels allowed channels; copied.
     */
    public Principal
    {
        channels = Set.copyOf(channels);
    }

    /**
     * @param more channels to allow as well.
     * @return a principal allowed the union.
     */
    public Principal withChannels(final Set<String> more)
    {
        final java.util.HashSet<String> union = new java.util.HashSet<>(channels);
        union.addAll(more);
        return new Principal(user, union);
    }
}
