package io.switchboard.gateway.core;

import io.switchboard.engine.partition.Partitioner;
import io.switchboard.transport.HostRouting;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Peer;
import io.switchboard.transport.PeerDirectory;
import io.switchboard.transport.PeerSpec;
import io.switchboard.transport.Role;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Which channel host owns a channel and which presence host owns a user (by {@link HostRouting} over this node,
 * when it plays the role, and the configured peers with the role, until the node's cluster view hands over its
 * routing: the live ZooKeeper members with the role), and which of those hosts are up. The routing before the last
 * change is kept so the gateway can tell which keys moved and from where.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class HostLinks
{
    /** No host serves the role. */
    static final int NO_HOST = -1;

    private final int selfNodeId;
    private final PeerDirectory peers;
    private HostRouting channelRouting;
    private HostRouting presenceRouting;
    private HostRouting previousChannelRouting;
    private HostRouting previousPresenceRouting;
    private final IntHashSet channelHosts = new IntHashSet();
    private final IntHashSet presenceHosts = new IntHashSet();
    private final IntHashSet available = new IntHashSet();
    private final UnsafeBuffer nameBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024 + 16));

    HostLinks(final NodeContext node, final PeerDirectory peers)
    {
        this.selfNodeId = node.nodeId();
        this.peers = peers;
        final List<Integer> channel = new ArrayList<>();
        final List<Integer> presence = new ArrayList<>();
        if (node.roles().contains(Role.CHANNEL))
        {
            channel.add(selfNodeId);
        }
        if (node.roles().contains(Role.PRESENCE))
        {
            presence.add(selfNodeId);
        }
        for (final PeerSpec spec : node.peers())
        {
            if (spec.roles().contains(Role.CHANNEL))
            {
                channel.add(spec.nodeId());
            }
            if (spec.roles().contains(Role.PRESENCE))
            {
                presence.add(spec.nodeId());
            }
        }
        channelHosts.addAll(channel);
        presenceHosts.addAll(presence);
        available.add(selfNodeId);
        for (final Integer host : channel)
        {
            markIfAlive(peers, host);
        }
        for (final Integer host : presence)
        {
            markIfAlive(peers, host);
        }
        final Partitioner partitioner = new Partitioner(node.partitions());
        channelRouting = channel.isEmpty() ? null : new HostRouting(partitioner, channel);
        presenceRouting = presence.isEmpty() ? null : new HostRouting(partitioner, presence);
    }

    private void markIfAlive(final PeerDirectory peers, final int host)
    {
        final Peer peer = peers.peer(host);
        if (host == selfNodeId || (null != peer && peer.alive()))
        {
            available.add(host);
        }
    }

    /**
     * @param channel name.
     * @return node id of its host, or {@link #NO_HOST}.
     */
    int channelHostOf(final String channel)
    {
        return ownerOf(channelRouting, channel);
    }

    /**
     * @param user id.
     * @return node id of its presence host, or {@link #NO_HOST}.
     */
    int presenceHostOf(final String user)
    {
        return ownerOf(presenceRouting, user);
    }

    /**
     * @param user id.
     * @return node id of its presence host before the last placement change, or {@link #NO_HOST}.
     */
    int previousPresenceHostOf(final String user)
    {
        return ownerOf(previousPresenceRouting, user);
    }

    /**
     * @param channel name.
     * @return node id of its channel host before the last placement change, or {@link #NO_HOST}.
     */
    int previousChannelHostOf(final String channel)
    {
        return ownerOf(previousChannelRouting, channel);
    }

    /**
     * Take a new placement from the cluster view. Hosts once known for a role stay known, so their loss is still
     * reported to the channels or users they served.
     *
     * @param role    channel or presence.
     * @param routing the role's routing now, or null when no host serves it.
     */
    void onPlacement(final Role role, final HostRouting routing)
    {
        if (Role.CHANNEL == role)
        {
            previousChannelRouting = channelRouting;
            channelRouting = routing;
            addHosts(routing, channelHosts);
        }
        else if (Role.PRESENCE == role)
        {
            previousPresenceRouting = presenceRouting;
            presenceRouting = routing;
            addHosts(routing, presenceHosts);
        }
    }

    private void addHosts(final HostRouting routing, final IntHashSet hosts)
    {
        if (null != routing)
        {
            for (final int nodeId : routing.hostNodeIds())
            {
                hosts.add(nodeId);
                // A member whose heartbeats arrived before this gateway listened is up although no event said so.
                markIfAlive(peers, nodeId);
            }
        }
    }

    private int ownerOf(final HostRouting routing, final String name)
    {
        if (null == routing)
        {
            return NO_HOST;
        }
        final int length = nameBuffer.putStringWithoutLengthUtf8(0, name);
        return routing.ownerOf(nameBuffer, 0, length);
    }

    boolean isAvailable(final int host)
    {
        return NO_HOST != host && available.contains(host);
    }

    boolean isChannelHost(final int nodeId)
    {
        return channelHosts.contains(nodeId);
    }

    boolean isPresenceHost(final int nodeId)
    {
        return presenceHosts.contains(nodeId);
    }

    void onUp(final int nodeId)
    {
        available.add(nodeId);
    }

    void onLost(final int nodeId)
    {
        if (nodeId != selfNodeId)
        {
            available.remove(nodeId);
        }
    }
}
