package io.switchboard.engine.presence;

import org.agrona.collections.ObjectHashSet;

/**
 * The users one gateway has connections for and the users it watches, so that losing the gateway touches only
 * those users instead of scanning the shard. Kept until the gateway is lost: gateways are few and long-lived.
 * <p>
 * Not thread-safe: owned by the shard thread.
 */
final class NodeUsers
{
    final ObjectHashSet<UserPresence> connected = new ObjectHashSet<>();
    final ObjectHashSet<UserPresence> watched = new ObjectHashSet<>();
}
