package io.switchboard.transport;

import io.aeron.logbuffer.FrameDescriptor;
import io.switchboard.engine.shard.WaitStrategyName;

import java.io.File;
import java.util.List;
import java.util.Set;

/**
 * Configuration of one Switchboard node, Aeron style: a property name, a default and a fluent setter per setting;
 * {@link #conclude()} validates them all once and fills derived values.
 * <p>
 * Not thread-safe: configure on one thread, then hand to {@link SwitchboardNode}.
 */
public final class NodeContext
{
    /** This node's cluster-unique id (1..1,000,000). */
    public static final String NODE_ID_PROP = "switchboard.node.id";
    /** Human name for logs and the driver directory; default node-&lt;id&gt;. */
    public static final String NODE_NAME_PROP = "switchboard.node.name";
    /** Region this node runs in. */
    public static final String REGION_PROP = "switchboard.region";
    /** Roles: gateway, channel, presence, api, all. */
    public static final String ROLES_PROP = "switchboard.roles";
    /** Aeron channel this node receives on: aeron:ipc, or aeron:udp?endpoint=host:port. */
    public static final String LISTEN_PROP = "switchboard.listen";
    /** Inbound stream id = base + node id, so several nodes can share one driver over IPC. */
    public static final String STREAM_BASE_PROP = "switchboard.stream.base";
    /** Static peers: id=roles@channel;... */
    public static final String PEERS_PROP = "switchboard.peers";
    /** Set to attach to an external media driver instead of embedding one. */
    public static final String AERON_DIR_PROP = "aeron.dir";
    /** Directory of the embedded driver; deleted on start and on close. */
    public static final String DRIVER_DIR_PROP = "switchboard.driver.dir";
    /** Heartbeat period to every peer. */
    public static final String HEARTBEAT_INTERVAL_MS_PROP = "switchboard.heartbeat.intervalMs";
    /** A peer silent for this long is declared lost. */
    public static final String PEER_TIMEOUT_MS_PROP = "switchboard.peer.timeoutMs";
    /** Idle strategy of this node's agent. */
    public static final String IDLE_PROP = "switchboard.idle";
    /** Idle strategy of the embedded driver. */
    public static final String DRIVER_IDLE_PROP = "switchboard.driver.idle";
    /** How long an offer retries BACK_PRESSURED / ADMIN_ACTION before giving up. */
    public static final String OFFER_TIMEOUT_NS_PROP = "switchboard.offer.timeoutNs";
    /** Term length of publications: max message = term / 8. */
    public static final String TERM_LENGTH_PROP = "switchboard.term.length";
    /**
     * Round trip of the node's longest link in ms, 0 for a LAN: the embedded driver's NAK retry and retransmit linger
     * become half of it, so a loss over a long link costs a few NAKs and one retransmission, not a storm of NAKs for a
     * whole round trip.
     */
    public static final String LINK_RTT_MS_PROP = "switchboard.link.rttMs";
    /** Channel shards (Disruptor pipelines) on a channel host. */
    public static final String CHANNEL_SHARDS_PROP = "switchboard.channel.shards";
    /** Presence shards on a presence host. */
    public static final String PRESENCE_SHARDS_PROP = "switchboard.presence.shards";
    /** Partitions of the channel and user key spaces. */
    public static final String PARTITIONS_PROP = "switchboard.partitions";

    /** ZooKeeper connect string host:port[,...]; unset for a static cluster. */
    public static final String ZOOKEEPER_PROP = "switchboard.zookeeper";
    /** Cluster name: the ZooKeeper path under which members register. */
    public static final String CLUSTER_PROP = "switchboard.cluster";
    /** ZooKeeper session timeout. */
    public static final String ZOOKEEPER_SESSION_TIMEOUT_MS_PROP = "switchboard.zookeeper.sessionTimeoutMs";
    /** Public WebSocket URL of this node's gateway, announced to the cluster for drains. */
    public static final String PUBLIC_URL_PROP = "switchboard.gateway.url";

    private int nodeId = Integer.getInteger(NODE_ID_PROP, 1);
    private String zookeeper = System.getProperty(ZOOKEEPER_PROP);
    private String cluster = System.getProperty(CLUSTER_PROP, "default");
    private int zookeeperSessionTimeoutMs = Integer.getInteger(ZOOKEEPER_SESSION_TIMEOUT_MS_PROP, 5000);
    private String publicUrl = System.getProperty(PUBLIC_URL_PROP, "");
    private String nodeName = System.getProperty(NODE_NAME_PROP);
    private String region = System.getProperty(REGION_PROP, "local");
    private Set<Role> roles = Role.parseSet(System.getProperty(ROLES_PROP, "all"));
    private String listenChannel = System.getProperty(LISTEN_PROP, "aeron:ipc");
    private int streamBase = Integer.getInteger(STREAM_BASE_PROP, 1000);
    private List<PeerSpec> peers = PeerSpec.parseList(System.getProperty(PEERS_PROP, ""));
    private String aeronDir = System.getProperty(AERON_DIR_PROP);
    private String driverDir = System.getProperty(DRIVER_DIR_PROP);
    private long heartbeatIntervalMs = Long.getLong(HEARTBEAT_INTERVAL_MS_PROP, 100);
    // 800 ms of silence: with heartbeats every 100 ms and checks every 10 ms a dead peer is declared lost within 1 s.
    private long peerTimeoutMs = Long.getLong(PEER_TIMEOUT_MS_PROP, 800);
    private String idleStrategy = System.getProperty(IDLE_PROP, "backoff");
    private String driverIdleStrategy = System.getProperty(DRIVER_IDLE_PROP, "backoff");
    private long offerTimeoutNs = Long.getLong(OFFER_TIMEOUT_NS_PROP, 5_000_000);
    private int termLength = Integer.getInteger(TERM_LENGTH_PROP, 1024 * 1024);
    private long linkRttMs = Long.getLong(LINK_RTT_MS_PROP, 0);
    private int channelShards = Integer.getInteger(CHANNEL_SHARDS_PROP, 2);
    private int presenceShards = Integer.getInteger(PRESENCE_SHARDS_PROP, 1);
    private int partitions = Integer.getInteger(PARTITIONS_PROP, 4096);
    private WaitStrategyName shardWaitStrategy = null;
    private boolean concluded;

    /**
     * Validate every setting once and derive defaults.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting and the bad value.
     */
    public NodeContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(nodeId >= 1 && nodeId <= 1_000_000, NODE_ID_PROP + " must be in 1..1000000: " + nodeId);
        require(!roles.isEmpty(), ROLES_PROP + " must name at least one role");
        require(listenChannel.startsWith("aeron:"), LISTEN_PROP + " must be an Aeron URI: " + listenChannel);
        require(streamBase >= 1, STREAM_BASE_PROP + " must be >= 1: " + streamBase);
        require(heartbeatIntervalMs >= 1, HEARTBEAT_INTERVAL_MS_PROP + " must be >= 1: " + heartbeatIntervalMs);
        require(peerTimeoutMs > heartbeatIntervalMs * 2,
            PEER_TIMEOUT_MS_PROP + " must exceed two heartbeat intervals: " + peerTimeoutMs);
        require(offerTimeoutNs >= 0, OFFER_TIMEOUT_NS_PROP + " must be >= 0: " + offerTimeoutNs);
        require(termLength >= 64 * 1024 && termLength <= 1024 * 1024 * 1024 && Integer.bitCount(termLength) == 1,
            TERM_LENGTH_PROP + " must be a power of two in 64 KiB..1 GiB: " + termLength);
        require(linkRttMs >= 0 && linkRttMs <= 10_000, LINK_RTT_MS_PROP + " must be in 0..10000: " + linkRttMs);
        require(channelShards >= 1 && channelShards <= 256, CHANNEL_SHARDS_PROP + " must be in 1..256: " + channelShards);
        require(presenceShards >= 1 && presenceShards <= 256,
            PRESENCE_SHARDS_PROP + " must be in 1..256: " + presenceShards);
        require(partitions >= 1, PARTITIONS_PROP + " must be >= 1: " + partitions);
        for (final PeerSpec peer : peers)
        {
            require(peer.nodeId() != nodeId, "peer " + peer + " has this node's own id " + nodeId);
        }
        require(zookeeperSessionTimeoutMs >= 1000,
            ZOOKEEPER_SESSION_TIMEOUT_MS_PROP + " must be >= 1000: " + zookeeperSessionTimeoutMs);
        require(null == cluster || cluster.matches("[A-Za-z0-9_.-]+"),
            CLUSTER_PROP + " must be letters, digits, '.', '_' or '-': " + cluster);
        IdleStrategies.newInstance(idleStrategy);
        IdleStrategies.newInstance(driverIdleStrategy);
        if (null == nodeName || nodeName.isBlank())
        {
            nodeName = "node-" + nodeId;
        }
        if (null == aeronDir && null == driverDir)
        {
            final File shm = new File("/dev/shm");
            final String base = shm.isDirectory() && shm.canWrite() ? shm.getPath() : System.getProperty("java.io.tmpdir");
            driverDir = new File(base, "switchboard-" + nodeName + "-" + ProcessHandle.current().pid()).getPath();
        }
        concluded = true;
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return ZooKeeper connect string, or null for a static cluster. */
    public String zookeeper()
    {
        return zookeeper;
    }

    /** @param zookeeper connect string host:port[,...], or null. @return this. */
    public NodeContext zookeeper(final String zookeeper)
    {
        this.zookeeper = null == zookeeper || zookeeper.isBlank() ? null : zookeeper;
        return this;
    }

    /** @return cluster name. */
    public String cluster()
    {
        return cluster;
    }

    /** @param cluster name under which members register. @return this. */
    public NodeContext cluster(final String cluster)
    {
        this.cluster = cluster;
        return this;
    }

    /** @return ZooKeeper session timeout. */
    public int zookeeperSessionTimeoutMs()
    {
        return zookeeperSessionTimeoutMs;
    }

    /** @param zookeeperSessionTimeoutMs session timeout. @return this. */
    public NodeContext zookeeperSessionTimeoutMs(final int zookeeperSessionTimeoutMs)
    {
        this.zookeeperSessionTimeoutMs = zookeeperSessionTimeoutMs;
        return this;
    }

    /** @return public WebSocket URL of this node's gateway, or empty. */
    public String publicUrl()
    {
        return publicUrl;
    }

    /** @param publicUrl public WebSocket URL of this node's gateway. @return this. */
    public NodeContext publicUrl(final String publicUrl)
    {
        this.publicUrl = null == publicUrl ? "" : publicUrl;
        return this;
    }

    /** @return inbound stream id of a node. @param nodeId the node. */
    public int streamIdOf(final int nodeId)
    {
        return streamBase + nodeId;
    }

    /** @return true when an external driver is used. */
    public boolean externalDriver()
    {
        return null != aeronDir;
    }

    /** @return the node id. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @param nodeId the node id. @return this. */
    public NodeContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /** @return the node name. */
    public String nodeName()
    {
        return nodeName;
    }

    /** @param nodeName for logs and the driver directory. @return this. */
    public NodeContext nodeName(final String nodeName)
    {
        this.nodeName = nodeName;
        return this;
    }

    /** @return region. */
    public String region()
    {
        return region;
    }

    /** @param region this node runs in. @return this. */
    public NodeContext region(final String region)
    {
        this.region = region;
        return this;
    }

    /** @return roles. */
    public Set<Role> roles()
    {
        return roles;
    }

    /** @param roles this node plays. @return this. */
    public NodeContext roles(final Set<Role> roles)
    {
        this.roles = Set.copyOf(roles);
        return this;
    }

    /** @return inbound Aeron channel. */
    public String listenChannel()
    {
        return listenChannel;
    }

    /** @param listenChannel inbound Aeron channel. @return this. */
    public NodeContext listenChannel(final String listenChannel)
    {
        this.listenChannel = listenChannel;
        return this;
    }

    /** @return stream base. */
    public int streamBase()
    {
        return streamBase;
    }

    /** @param streamBase inbound stream id = base + node id. @return this. */
    public NodeContext streamBase(final int streamBase)
    {
        this.streamBase = streamBase;
        return this;
    }

    /** @return static peers. */
    public List<PeerSpec> peers()
    {
        return peers;
    }

    /** @param peers static peers. @return this. */
    public NodeContext peers(final List<PeerSpec> peers)
    {
        this.peers = List.copyOf(peers);
        return this;
    }

    /** @return external driver directory, or null when embedded. */
    public String aeronDir()
    {
        return aeronDir;
    }

    /** @param aeronDir external driver directory; null to embed a driver. @return this. */
    public NodeContext aeronDir(final String aeronDir)
    {
        this.aeronDir = aeronDir;
        return this;
    }

    /** @return embedded driver directory. */
    public String driverDir()
    {
        return driverDir;
    }

    /** @param driverDir embedded driver directory. @return this. */
    public NodeContext driverDir(final String driverDir)
    {
        this.driverDir = driverDir;
        return this;
    }

    /** @return heartbeat interval. */
    public long heartbeatIntervalMs()
    {
        return heartbeatIntervalMs;
    }

    /** @param heartbeatIntervalMs heartbeat period. @return this. */
    public NodeContext heartbeatIntervalMs(final long heartbeatIntervalMs)
    {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        return this;
    }

    /** @return peer timeout. */
    public long peerTimeoutMs()
    {
        return peerTimeoutMs;
    }

    /** @param peerTimeoutMs silence after which a peer is lost. @return this. */
    public NodeContext peerTimeoutMs(final long peerTimeoutMs)
    {
        this.peerTimeoutMs = peerTimeoutMs;
        return this;
    }

    /** @return agent idle strategy name. */
    public String idleStrategy()
    {
        return idleStrategy;
    }

    /** @param idleStrategy backoff, sleeping, yielding or busy-spin. @return this. */
    public NodeContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return driver idle strategy name. */
    public String driverIdleStrategy()
    {
        return driverIdleStrategy;
    }

    /** @param driverIdleStrategy backoff, sleeping, yielding or busy-spin. @return this. */
    public NodeContext driverIdleStrategy(final String driverIdleStrategy)
    {
        this.driverIdleStrategy = driverIdleStrategy;
        return this;
    }

    /** @return offer retry bound. */
    public long offerTimeoutNs()
    {
        return offerTimeoutNs;
    }

    /** @param offerTimeoutNs how long back-pressure is retried. @return this. */
    public NodeContext offerTimeoutNs(final long offerTimeoutNs)
    {
        this.offerTimeoutNs = offerTimeoutNs;
        return this;
    }

    /** @return publication term length. */
    public int termLength()
    {
        return termLength;
    }

    /** @param termLength publication term length. @return this. */
    public NodeContext termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    /** @return round trip of the node's longest link in ms; 0 leaves Aeron's LAN defaults. */
    public long linkRttMs()
    {
        return linkRttMs;
    }

    /** @param linkRttMs round trip of the node's longest link in ms, 0 for a LAN. @return this. */
    public NodeContext linkRttMs(final long linkRttMs)
    {
        this.linkRttMs = linkRttMs;
        return this;
    }

    /**
     * @return the largest message this node's publications take (Aeron's term length / 8, at most 16 MiB); senders
     * that build variable-size messages split them below this.
     */
    public int maxMessageLength()
    {
        return FrameDescriptor.computeMaxMessageLength(termLength);
    }

    /** @return channel shards. */
    public int channelShards()
    {
        return channelShards;
    }

    /** @param channelShards channel shards on this host. @return this. */
    public NodeContext channelShards(final int channelShards)
    {
        this.channelShards = channelShards;
        return this;
    }

    /** @return presence shards. */
    public int presenceShards()
    {
        return presenceShards;
    }

    /** @param presenceShards presence shards on this host. @return this. */
    public NodeContext presenceShards(final int presenceShards)
    {
        this.presenceShards = presenceShards;
        return this;
    }

    /** @return partitions. */
    public int partitions()
    {
        return partitions;
    }

    /** @param partitions of the key spaces. @return this. */
    public NodeContext partitions(final int partitions)
    {
        this.partitions = partitions;
        return this;
    }

    /** @return shard wait strategy, or null for the shard default. */
    public WaitStrategyName shardWaitStrategy()
    {
        return shardWaitStrategy;
    }

    /** @param shardWaitStrategy for every shard of this node. @return this. */
    public NodeContext shardWaitStrategy(final WaitStrategyName shardWaitStrategy)
    {
        this.shardWaitStrategy = shardWaitStrategy;
        return this;
    }
}
