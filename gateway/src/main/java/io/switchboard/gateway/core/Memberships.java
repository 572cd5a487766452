package io.switchboard.gateway.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Channel memberships changed through the HTTP API since a user's token was issued: channels joined are allowed and
 * channels left are refused to the user's later sessions too, whatever their token says, until changed again.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class Memberships
{
    private final Map<String, Set<String>> joined = new HashMap<>();
    private final Map<String, Set<String>> left = new HashMap<>();

    void change(final String user, final Collection<String> join, final Collection<String> leave)
    {
        final Set<String> userJoined = joined.computeIfAbsent(user, u -> new HashSet<>());
        final Set<String> userLeft = left.computeIfAbsent(user, u -> new HashSet<>());
        userJoined.addAll(join);
        userJoined.removeAll(leave);
        userLeft.addAll(leave);
        userLeft.removeAll(join);
    }

    void applyTo(final String user, final Set<String> allowed)
    {
        allowed.addAll(joined.getOrDefault(user, Set.of()));
        allowed.removeAll(left.getOrDefault(user, Set.of()));
    }
}
