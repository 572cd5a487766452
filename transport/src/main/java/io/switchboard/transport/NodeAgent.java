package io.switchboard.transport;

import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.MessageValidator;
import io.switchboard.codecs.NodeHeartbeatDecoder;
import io.switchboard.codecs.NodeHeartbeatEncoder;
import io.switchboard.codecs.Rejection;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The duty cycle of one node: poll the one inbound subscription, validate every message, answer heartbeats, send
 * its own, declare silent peers lost, run posted commands and hand each message to the role that serves its
 * template.
 * <p>
 * Thread-safety: single-threaded, run by an {@link org.agrona.concurrent.AgentRunner} or by the caller of
 * {@link #doWork()}; other threads interact only through {@link #post(Runnable)}.
 */
public final class NodeAgent implements Agent, ControlledFragmentHandler
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final int COMMAND_LIMIT = 256;

    private final NodeContext context;
    private final Subscription subscription;
    private final PeerDirectory peers;
    private final TransportCounters counters;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private final Int2ObjectHashMap<InboundHandler> handlers = new Int2ObjectHashMap<>();
    private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(4096);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final NodeHeartbeatDecoder heartbeatDecoder = new NodeHeartbeatDecoder();
    private final NodeHeartbeatEncoder heartbeatEncoder = new NodeHeartbeatEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final UnsafeBuffer heartbeatBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final long incarnation;
    private final long heartbeatIntervalNs;
    private final long tickIntervalNs = 10_000_000L;
    private final Runnable[] tickers;
    private long nextHeartbeatNs;
    private long nextTickNs;
    private final java.util.function.Consumer<Peer> heartbeatSender = this::sendHeartbeat;
    private int heartbeatLength;
    private final java.util.function.Consumer<Peer> heartbeatRetrier = this::retryHeartbeat;
    private int heartbeatsSent;
    private int heartbeatsRefused;
    private long nowNs;

    /**
     * @param context      validated node configuration.
     * @param aeron        connected client.
     * @param counters     this node's counters.
     * @param peerListener told of peers coming and going.
     * @param tickers      run on the agent thread every 10 ms (shard timer ticks, request timeouts).
     */
    public NodeAgent(
        final NodeContext context,
        final Aeron aeron,
        final TransportCounters counters,
        final PeerListener peerListener,
        final Runnable... tickers)
    {
        this.context = context;
        this.counters = counters;
        this.tickers = tickers.clone();
        this.incarnation = System.currentTimeMillis() * 1000 + (System.nanoTime() & 999);
        this.heartbeatIntervalNs = context.heartbeatIntervalMs() * 1_000_000L;
        this.subscription = aeron.addSubscription(context.listenChannel(), context.streamIdOf(context.nodeId()));
        this.peers = new PeerDirectory(aeron, context, counters, new PeerListener()
        {
            public void onPeerUp(final Peer peer, final boolean restarted)
            {
                // Before anything the roles send it on coming back (a gateway's renewed subscriptions): a peer
                // this node had declared lost must read the changed incarnation first, and drop its old state.
                sendHeartbeat(peer);
                peerListener.onPeerUp(peer, restarted);
            }

            public void onPeerLost(final Peer peer)
            {
                peerListener.onPeerLost(peer);
            }
        });
        heartbeatEncoder.wrapAndApplyHeader(heartbeatBuffer, 0, headerEncoder)
            .nodeId(context.nodeId())
            .incarnation(incarnation)
            .timestampNs(0);
        Role.encode(context.roles(), heartbeatEncoder.roles());
        heartbeatEncoder.nodeName(context.nodeName()).region(context.region()).endpoint(context.listenChannel());
        heartbeatLength = MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength();
        peers.addSelf();
        for (final PeerSpec spec : context.peers())
        {
            peers.addConfigured(spec);
        }
    }

    /**
     * Route inbound messages of a template to a role. Call before the agent starts.
     *
     * @param templateId of the messages.
     * @param handler    the role that serves them.
     * @return this.
     */
    public NodeAgent handle(final int templateId, final InboundHandler handler)
    {
        handlers.put(templateId, handler);
        return this;
    }

    /**
     * @return the peer directory, whose {@link PeerDirectory#send} shards use as their sink.
     */
    public PeerDirectory peers()
    {
        return peers;
    }

    /**
     * @return this node's incarnation: changes on every start.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * Run a command on the agent's thread.
     *
     * @param command to run.
     * @return false when the queue is full: the caller must retry or report back-pressure.
     */
    public boolean post(final Runnable command)
    {
        return commands.offer(command);
    }

    /**
     * {@inheritDoc}
     */
    /**
     * {@inheritDoc}
     */
    public void onStart()
    {
        peers.agentThread(Thread.currentThread());
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        nowNs = System.nanoTime();
        int work = 0;
        // A command refused by this node's own stream (back-pressure) stops the batch: only this thread drains that
        // stream, so more commands writing to it would fail too; poll it first, then continue next cycle.
        while (work < COMMAND_LIMIT && !peers.selfRefused())
        {
            final Runnable command = commands.poll();
            if (null == command)
            {
                break;
            }
            command.run();
            work++;
        }
        work += subscription.controlledPoll(assembler, FRAGMENT_LIMIT);
        peers.clearSelfRefused();

        if (nowNs - nextHeartbeatNs >= 0)
        {
            nextHeartbeatNs = nowNs + heartbeatIntervalNs;
            work += sendHeartbeats();
        }
        else if (heartbeatsRefused > 0)
        {
            // A peer's stream full of data refused the heartbeat: retry every duty cycle rather than once per
            // interval, or a busy but healthy node would be declared lost by the peer it keeps busy.
            work += retryRefusedHeartbeats();
        }
        if (nowNs - nextTickNs >= 0)
        {
            nextTickNs = nowNs + tickIntervalNs;
            // Checked every tick, not every heartbeat, so a loss is declared within timeout + 10 ms of silence.
            work += peers.checkLiveness(nowNs, subscription);
            for (final Runnable ticker : tickers)
            {
                ticker.run();
            }
        }
        return work;
    }

    /**
     * {@inheritDoc}
     */
    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final Rejection rejection = MessageValidator.validate(buffer, offset, length);
        if (Rejection.NONE != rejection)
        {
            counters.onRejected(rejection);
            return Action.CONTINUE;
        }

        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        if (NodeHeartbeatDecoder.TEMPLATE_ID == templateId)
        {
            heartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            peers.onHeartbeat(heartbeatDecoder, header.sessionId(), header.position(), nowNs);
            return Action.CONTINUE;
        }

        final InboundHandler handler = handlers.get(templateId);
        if (null == handler)
        {
            counters.inboundUnhandled.increment();
            return Action.CONTINUE;
        }

        if (InboundHandler.HOLD == handler.onMessage(templateId, buffer, offset, length))
        {
            // This node is the slow one: the peer's heartbeats wait behind a message it did send.
            peers.onHeldMessage(header.sessionId(), nowNs);
            counters.shardBackPressure.increment();
            return Action.ABORT;
        }
        counters.inboundMessages.increment();
        return Action.CONTINUE;
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        CloseHelper.closeAll(peers, subscription);
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "switchboard-node-" + context.nodeName();
    }

    private int sendHeartbeats()
    {
        // Encoded once in the constructor: only the timestamp changes between heartbeats.
        heartbeatEncoder.timestampNs(System.currentTimeMillis() * 1_000_000L);
        heartbeatsSent = 0;
        heartbeatsRefused = 0;
        peers.forEachPeer(heartbeatSender);
        return heartbeatsSent;
    }

    private int retryRefusedHeartbeats()
    {
        heartbeatsSent = 0;
        heartbeatsRefused = 0;
        peers.forEachPeer(heartbeatRetrier);
        return heartbeatsSent;
    }

    private void sendHeartbeat(final Peer peer)
    {
        peer.heartbeatPending = true;
        retryHeartbeat(peer);
    }

    private void retryHeartbeat(final Peer peer)
    {
        if (!peer.heartbeatPending || null == peer.publication)
        {
            return;
        }
        // A loss must be seen from both sides. A node that declared this peer lost dropped what it held for it (a
        // channel host drops a gateway's subscriptions); a peer that only paused may have heard this node all
        // along and would never subscribe again. So heartbeats to a peer once declared lost carry another
        // incarnation: to the peer this node "restarted", and it starts again from "peer up".
        heartbeatEncoder.incarnation(incarnation + peer.lossCount);
        final long result = peer.publication.offer(heartbeatBuffer, 0, heartbeatLength);
        if (result > 0)
        {
            peer.heartbeatPending = false;
            heartbeatsSent++;
        }
        else if (Publication.BACK_PRESSURED == result || Publication.ADMIN_ACTION == result)
        {
            heartbeatsRefused++;
        }
        else
        {
            // NOT_CONNECTED: nobody listens there (yet); liveness is judged on the other side.
            peer.heartbeatPending = false;
        }
    }
}
