package io.switchboard.gateway.core;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a membership change through the HTTP API did: the live sessions of the user it changed on this gateway, and
 * how many other gateways took the change (their sessions follow when it arrives).
 * <p>
 * Immutable, hence thread-safe: made on the core's thread, read on an event loop.
 *
 * @param sessions live sessions of the user on this gateway.
 * @param gateways other gateways whose stream took the change.
 * @param failed   other gateways whose stream did not take it, by node id, with the transport's reason
 *                 ({@code not_connected}, {@code back_pressured}, {@code too_large}); ascending node ids.
 */
public record MembershipOutcome(int sessions, int gateways, Map<Integer, String> failed)
{
    /**
     * Keeps an unmodifiable, ordered copy of failed.
     */
    public MembershipOutcome
    {
        failed = Collections.unmodifiableMap(new TreeMap<>(failed));
    }

    /**
     * @return node ids of the gateways that did not take the change, ascending.
     */
    public List<Integer> failedGateways()
    {
        return List.copyOf(failed.keySet());
    }

    /**
     * What the relay to other gateways did.
     *
     * @param gateways other gateways whose stream took every message of the change.
     * @param failed   the others, with why; ascending node ids.
     */
    record Relayed(int gateways, Map<Integer, String> failed)
    {
    }
}
