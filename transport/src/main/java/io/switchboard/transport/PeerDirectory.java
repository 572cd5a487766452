package io.switchboard.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.switchboard.codecs.NodeHeartbeatDecoder;
import io.switchboard.engine.OutboundSink;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The peers of one node: one outbound publication per peer, liveness from heartbeats, and the {@link OutboundSink}
 * through which shards address peers by node id.
 * <p>
 * Thread-safety: everything except {@link #send} runs on the node agent's thread. {@link #send} may be called from
 * any thread (shard threads): it reads an immutable node id to publication map that the agent replaces whenever a
 * peer is added, and Aeron's concurrent publications accept offers from many threads.
 */
public final class PeerDirectory implements OutboundSink, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

    private final Aeron aeron;
    private final NodeContext context;
    private final TransportCounters counters;
    private final PeerListener listener;
    private final Int2ObjectHashMap<Peer> peers = new Int2ObjectHashMap<>();
    private volatile Thread agentThread;
    /** Written and read by the agent thread only. */
    private boolean selfRefused;
    private final List<Peer> lostScratch = new ArrayList<>();
    private final Int2ObjectHashMap<Peer> peersByImage = new Int2ObjectHashMap<>();
    /** Images more than one peer's heartbeats arrived on (peers sharing a driver's publication): no one's progress. */
    private final IntHashSet sharedImages = new IntHashSet();
    private final Consumer<Image> imageProgress = this::onImageProgress;
    private long livenessNowNs;
    private volatile Int2ObjectHashMap<Publication> publications = new Int2ObjectHashMap<>();

    PeerDirectory(
        final Aeron aeron, final NodeContext context, final TransportCounters counters, final PeerListener listener)
    {
        this.aeron = aeron;
        this.context = context;
        this.counters = counters;
        this.listener = listener;
    }

    /**
     * Add a configured peer; its publication is created now so traffic can flow as soon as it listens.
     *
     * @param spec of the peer.
     */
    void addConfigured(final PeerSpec spec)
    {
        final Peer peer = new Peer(spec.nodeId(), true);
        peer.roles = spec.roles();
        peer.channel = spec.channel();
        peers.put(peer.nodeId, peer);
        connect(peer);
    }

    /**
     * Address this node itself, so roles in one process talk over Aeron (IPC) like roles on different hosts.
     */
    void addSelf()
    {
        final Peer self = new Peer(context.nodeId(), true);
        self.name = context.nodeName();
        self.region = context.region();
        self.roles = context.roles();
        self.channel = context.listenChannel();
        self.alive = true;
        connect(self);
    }

    /**
     * Record a heartbeat; a new peer gets a publication, a returning or restarted one is announced.
     *
     * @param heartbeat      decoder wrapped over the message, var-data not yet read.
     * @param imageSessionId Aeron session id of the image it arrived on: the peer's other messages arrive there too.
     * @param imagePosition  position of that image just after the heartbeat.
     * @param nowNs          {@link System#nanoTime()}.
     */
    void onHeartbeat(
        final NodeHeartbeatDecoder heartbeat, final int imageSessionId, final long imagePosition, final long nowNs)
    {
        counters.heartbeatsReceived.increment();
        final int nodeId = heartbeat.nodeId();
        if (nodeId == context.nodeId())
        {
            // This node's own messages to itself arrive here too; a peer attached to the same driver shares it.
            sharedImages.add(imageSessionId);
            heartbeat.sbeSkip();
            return;
        }

        final long incarnation = heartbeat.incarnation();
        Peer peer = peers.get(nodeId);
        final boolean known = null != peer;
        if (!known)
        {
            peer = new Peer(nodeId, false);
            peers.put(nodeId, peer);
        }

        final boolean restarted = known && peer.incarnation != 0 && peer.incarnation != incarnation;
        final boolean returning = !peer.alive;
        peer.roles = Role.decode(heartbeat.roles());
        peer.incarnation = incarnation;
        peer.lastSeenNs = nowNs;
        if (peer.imageSessionId != imageSessionId)
        {
            if (peersByImage.get(peer.imageSessionId) == peer)
            {
                peersByImage.remove(peer.imageSessionId);
            }
            final Peer other = peersByImage.put(imageSessionId, peer);
            if (null != other && other != peer && other.imageSessionId == imageSessionId)
            {
                // Nodes attached to one media driver send to a node through one shared publication, so progress
                // on this image tells nothing about either: only their heartbeats count.
                sharedImages.add(imageSessionId);
            }
            peer.imageSessionId = imageSessionId;
        }
        peer.imagePosition = imagePosition;
        peer.name = heartbeat.nodeName();
        peer.region = heartbeat.region();
        final String channel = heartbeat.endpoint();

        if (null == peer.publication || !channel.equals(peer.channel))
        {
            if (null != peer.publication)
            {
                LOG.info("peer {} moved from {} to {}", peer.name, peer.channel, channel);
            }
            peer.channel = channel;
            connect(peer);
        }

        if (restarted && peer.alive)
        {
            LOG.info("peer restarted, or dropped what it held for this node: {}", peer);
            peer.alive = false;
            listener.onPeerLost(peer);
        }
        if (returning || restarted)
        {
            peer.alive = true;
            peer.lost = false;
            LOG.info("peer up: {}", peer);
            listener.onPeerUp(peer, restarted);
        }
    }

    /**
     * A node registered in ZooKeeper: known from now on, reachable at its endpoint.
     *
     * @param member as registered.
     */
    void onMemberUp(final io.switchboard.transport.membership.Member member)
    {
        if (member.nodeId() == context.nodeId())
        {
            return;
        }
        Peer peer = peers.get(member.nodeId());
        if (null == peer)
        {
            peer = new Peer(member.nodeId(), false);
            peers.put(peer.nodeId, peer);
        }
        peer.member = true;
        peer.name = member.name();
        peer.region = member.region();
        peer.roles = member.roles();
        peer.url = member.url();
        if (null == peer.publication || !member.endpoint().equals(peer.channel))
        {
            peer.channel = member.endpoint();
            connect(peer);
        }
    }

    /**
     * A node's ZooKeeper registration is gone: it left or its session expired.
     *
     * @param member as it was registered.
     */
    void onMemberDown(final io.switchboard.transport.membership.Member member)
    {
        final Peer peer = peers.get(member.nodeId());
        if (null != peer)
        {
            peer.member = false;
            if (peer.alive)
            {
                peer.alive = false;
                peer.lost = true;
                counters.peersLost.increment();
                LOG.warn("peer lost: {} left the cluster", peer);
                listener.onPeerLost(peer);
            }
        }
    }

    /**
     * Declare peers lost that have been silent past the timeout. Any message from a peer is a sign of life, not only
     * its heartbeats: a receiver working through a backlog from a busy peer (a burst of subscriptions, say) reads
     * that peer's heartbeats late, behind the data, and would otherwise declare the very peer it is busy with lost.
     * The progress of each peer's image since the last check tells that without a look-up per message.
     *
     * @param nowNs   {@link System#nanoTime()}.
     * @param inbound the node's inbound subscription, where the peers' images are.
     * @return peers lost by this call.
     */
    int checkLiveness(final long nowNs, final Subscription inbound)
    {
        livenessNowNs = nowNs;
        inbound.forEachImage(imageProgress);
        final long timeoutNs = context.peerTimeoutMs() * 1_000_000L;
        lostScratch.clear();
        for (final Peer peer : peers.values())
        {
            if (peer.alive && nowNs - peer.lastSeenNs > timeoutNs)
            {
                lostScratch.add(peer);
            }

        }
        for (final Peer peer : lostScratch)
        {
            peer.alive = false;
            peer.lost = true;
            // Heartbeats to it carry another incarnation from now on (see NodeAgent): when it is back it learns
            // that this node dropped what it held for it, even if it never stopped hearing this node.
            peer.lossCount++;
            counters.peersLost.increment();
            LOG.warn("peer lost: {} silent for more than {} ms", peer, context.peerTimeoutMs());
            listener.onPeerLost(peer);
        }
        return lostScratch.size();
    }

    /**
     * A message from the image could not be taken yet (a shard's ring is full) and will be read again: its sender is
     * not silent, this node is behind it. Without this, heartbeats stuck behind the held message would make a node
     * under back-pressure declare lost the very peer it cannot keep up with.
     *
     * @param imageSessionId Aeron session id of the image the held message is on.
     * @param nowNs          {@link System#nanoTime()}.
     */
    void onHeldMessage(final int imageSessionId, final long nowNs)
    {
        final Peer peer = peersByImage.get(imageSessionId);
        if (null != peer && !sharedImages.contains(imageSessionId))
        {
            peer.lastSeenNs = nowNs;
        }
    }

    private void onImageProgress(final Image image)
    {
        final Peer peer = peersByImage.get(image.sessionId());
        if (null != peer && !sharedImages.contains(image.sessionId()))
        {
            // Read past the peer's last heartbeat: something newer than it came from the peer.
            final long position = image.position();
            if (position > peer.imagePosition)
            {
                peer.lastSeenNs = livenessNowNs;
                peer.imagePosition = position;
            }
        }
    }

    /**
     * @param action applied to every peer except this node.
     */
    void forEachPeer(final Consumer<Peer> action)
    {
        peers.values().forEach(action);
    }

    /**
     * @param nodeId of a peer.
     * @return the peer or null.
     */
    public Peer peer(final int nodeId)
    {
        return peers.get(nodeId);
    }

    /**
     * @return a copy of all peers, for inspection.
     */
    public List<Peer> peers()
    {
        return new ArrayList<>(peers.values());
    }

    /**
     * {@inheritDoc}
     */
    public int send(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final Publication publication = publications.get(nodeId);
        if (null == publication)
        {
            counters.offerUnknownPeer.increment();
            return OutboundSink.NOT_CONNECTED;
        }
        // The agent thread is the only reader of this node's own stream: waiting for it to drain while on that
        // thread can only end in the timeout, for every message behind (a livelock at 20M channels, measured).
        final boolean selfFromAgent = nodeId == context.nodeId() && Thread.currentThread() == agentThread;
        final int result = Offers.offer(
            publication, buffer, offset, length, selfFromAgent ? 0 : context.offerTimeoutNs(), counters);
        if (selfFromAgent && OutboundSink.BACK_PRESSURED == result)
        {
            selfRefused = true;
        }
        return result;
    }

    void agentThread(final Thread thread)
    {
        this.agentThread = thread;
    }

    /**
     * @return true when the agent thread was refused by this node's own stream since the agent last polled it.
     */
    boolean selfRefused()
    {
        return selfRefused;
    }

    void clearSelfRefused()
    {
        selfRefused = false;
    }

    /**
     * @param nodeId of a peer or this node.
     * @return true when its publication has a connected subscriber.
     */
    public boolean isConnected(final int nodeId)
    {
        final Publication publication = publications.get(nodeId);
        return null != publication && publication.isConnected();
    }

    /**
     * Close every publication.
     */
    public void close()
    {
        final Int2ObjectHashMap<Publication> current = publications;
        publications = new Int2ObjectHashMap<>();
        CloseHelper.closeAll(current.values());
    }

    private void connect(final Peer peer)
    {
        final ChannelUri uri = ChannelUri.parse(peer.channel);
        if (null == uri.get(CommonContext.TERM_LENGTH_PARAM_NAME))
        {
            uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(context.termLength()));
        }
        final Publication publication = aeron.addPublication(uri.toString(), context.streamIdOf(peer.nodeId));
        final Publication previous = peer.publication;
        peer.publication = publication;

        final Int2ObjectHashMap<Publication> next = new Int2ObjectHashMap<>(publications);
        next.put(peer.nodeId, publication);
        publications = next;
        CloseHelper.close(previous);
    }
}
