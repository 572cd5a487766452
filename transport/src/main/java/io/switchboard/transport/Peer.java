package io.switchboard.transport;

import io.aeron.Publication;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a node knows of one peer. Owned by the node agent's thread; other threads see only the peer's
 * publication, through {@link PeerDirectory#send}.
 */
public final class Peer
{
    final int nodeId;
    final boolean configured;
    String name;
    String region = "";
    Set<Role> roles = EnumSet.noneOf(Role.class);
    String channel;
    Publication publication;
    long incarnation;
    long lastSeenNs;
    /** Aeron session id of the image this peer's messages arrive on here, learned from its heartbeats; 0 unknown. */
    int imageSessionId;
    /** Position of that image after the newest message known to have come from the peer. */
    long imagePosition;
    /** Times this node declared the peer lost: added to this node's incarnation in heartbeats to it. */
    long lossCount;
    boolean alive;
    boolean lost;
    boolean member;
    boolean heartbeatPending;
    String url = "";

    Peer(final int nodeId, final boolean configured)
    {
        this.nodeId = nodeId;
        this.configured = configured;
        this.name = "node-" + nodeId;
    }

    /** @return node id. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @return name it announced. */
    public String name()
    {
        return name;
    }

    /** @return region it announced. */
    public String region()
    {
        return region;
    }

    /** @return roles it serves. */
    public Set<Role> roles()
    {
        return roles;
    }

    /** @return Aeron channel it receives on. */
    public String channel()
    {
        return channel;
    }

    /** @return true while its heartbeats arrive. */
    public boolean alive()
    {
        return alive;
    }

    /** @return true after its heartbeats stopped, until they resume. */
    public boolean lost()
    {
        return lost;
    }

    /** @return true while it is registered in ZooKeeper. */
    public boolean member()
    {
        return member;
    }

    /** @return public WebSocket URL of its gateway, or empty. */
    public String url()
    {
        return url;
    }

    /** @return true when it came from static configuration rather than a heartbeat. */
    public boolean configured()
    {
        return configured;
    }

    /** @return its incarnation, 0 before the first heartbeat. */
    public long incarnation()
    {
        return incarnation;
    }

    /** @return a one-line description for logs. */
    public String toString()
    {
        return name + " (id " + nodeId + ", " + Role.format(roles) + ", " + region + ", " + channel + ")";
    }
}
