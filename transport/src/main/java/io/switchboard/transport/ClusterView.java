package io.switchboard.transport;

import io.switchboard.engine.partition.Partitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Which hosts serve each role right now, and so who owns each partition.
 * <ul>
 *     <li>Static peers (no ZooKeeper): the configured hosts, whether or not they answer — a lost host's channels
 *     are unavailable until it returns, never moved (a static cluster has nowhere agreed to move them).</li>
 *     <li>With ZooKeeper: the registered hosts minus those whose heartbeats stopped. Heartbeats notice a dead host
 *     within a second, long before its ZooKeeper session expires, so placement moves its partitions at once.</li>
 * </ul>
 * Every node derives the same placement from the same host set. Listeners hear of each change, with the new
 * routing, in one log line.
 * <p>
 * Not thread-safe: owned by the node agent's thread.
 */
public final class ClusterView
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    private final NodeContext context;
    private final PeerDirectory peers;
    private final Partitioner partitioner;
    private final boolean dynamic;
    private final Map<Role, TreeSet<Integer>> hosts = new EnumMap<>(Role.class);
    private final Map<Role, HostRouting> routings = new EnumMap<>(Role.class);
    private final List<BiConsumer<Role, HostRouting>> listeners = new ArrayList<>();

    ClusterView(final NodeContext context, final PeerDirectory peers, final boolean dynamic)
    {
        this.context = context;
        this.peers = peers;
        this.dynamic = dynamic;
        this.partitioner = new Partitioner(context.partitions());
    }

    /**
     * @param listener told (role, new routing) on the agent thread whenever a role's host set changes.
     */
    public void addListener(final BiConsumer<Role, HostRouting> listener)
    {
        listeners.add(listener);
    }

    /**
     * @param role a role with hosts (channel, presence).
     * @return its routing, or null when no host serves it.
     */
    public HostRouting routing(final Role role)
    {
        return routings.get(role);
    }

    /**
     * @param role a role.
     * @return node ids of its hosts, ascending.
     */
    public List<Integer> hosts(final Role role)
    {
        final TreeSet<Integer> set = hosts.get(role);
        return null == set ? List.of() : new ArrayList<>(set);
    }

    /**
     * Recompute every role's host set from the peers; notify listeners of roles whose set changed.
     */
    void recompute()
    {
        for (final Role role : new Role[]{ Role.CHANNEL, Role.PRESENCE })
        {
            final TreeSet<Integer> next = new TreeSet<>();
            if (context.roles().contains(role))
            {
                next.add(context.nodeId());
            }
            peers.forEachPeer(peer ->
            {
                if (peer.roles.contains(role) && serves(peer))
                {
                    next.add(peer.nodeId);
                }
            });

            final TreeSet<Integer> previous = hosts.get(role);
            if (!next.equals(previous))
            {
                hosts.put(role, next);
                final HostRouting routing = next.isEmpty() ? null : new HostRouting(partitioner, next);
                routings.put(role, routing);
                LOG.info("placement: {} hosts {} (was {})", role.name().toLowerCase(java.util.Locale.ROOT), next,
                    null == previous ? "[]" : previous);
                for (final BiConsumer<Role, HostRouting> listener : listeners)
                {
                    listener.accept(role, routing);
                }
            }
        }
    }

    private boolean serves(final Peer peer)
    {
        return dynamic ? (peer.member || peer.configured) && !peer.lost : peer.configured;
    }
}
