package io.switchboard.transport;

import io.aeron.Aeron;
import io.switchboard.codecs.HistoryRequestDecoder;
import io.switchboard.codecs.PresenceConnectDecoder;
import io.switchboard.codecs.PresenceDisconnectDecoder;
import io.switchboard.codecs.PresenceQueryDecoder;
import io.switchboard.codecs.PresenceSetStatusDecoder;
import io.switchboard.codecs.PresenceUnwatchDecoder;
import io.switchboard.codecs.PresenceWatchDecoder;
import io.switchboard.codecs.PublishDecoder;
import io.switchboard.codecs.ReactDecoder;
import io.switchboard.codecs.SubscribeDecoder;
import io.switchboard.codecs.TransientDecoder;
import io.switchboard.codecs.UnsubscribeDecoder;
import io.switchboard.transport.membership.Member;
import io.switchboard.transport.membership.MembershipListener;
import io.switchboard.transport.membership.ZooKeeperMembership;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.collections.IntArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One Switchboard process: a media driver (embedded unless {@code aeron.dir} names an external one), an Aeron
 * client, the node agent with its inbound subscription and per-peer publications, and the hosts of the roles this
 * node plays. Roles inside one node reach each other over Aeron like roles on different hosts (IPC here).
 * <p>
 * Thread-safety: launch and close from one thread; the running node is driven by its own agent thread.
 */
public final class SwitchboardNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardNode.class);

    private final NodeContext context;
    private final EmbeddedDriver driver;
    private final Aeron aeron;
    private final TransportCounters counters;
    private final NodeAgent agent;
    private final AgentRunner runner;
    private final ShardHost channelHost;
    private final ShardHost presenceHost;
    private final List<PeerListener> peerListeners = new ArrayList<>();
    private final ClusterView clusterView;
    private final ZooKeeperMembership membership;
    private final IntArrayList pendingLost = new IntArrayList();

    private SwitchboardNode(final NodeContext context, final RoleWiring wiring)
    {
        this.context = context.conclude();
        this.driver = context.externalDriver() ? null : EmbeddedDriver.launch(context);
        final String aeronDir = context.externalDriver() ? context.aeronDir() : driver.aeronDirectoryName();
        final ErrorHandler errorHandler = ex -> LOG.error("error on node " + context.nodeName(), ex);
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).errorHandler(errorHandler));
        this.counters = new TransportCounters(aeron, context.nodeName());
        this.agent = new NodeAgent(context, aeron, counters, new PeerListener()
        {
            public void onPeerUp(final Peer peer, final boolean restarted)
            {
                clusterView.recompute();
                for (final PeerListener listener : peerListeners)
                {
                    listener.onPeerUp(peer, restarted);
                }
            }

            public void onPeerLost(final Peer peer)
            {
                pendingLost.addInt(peer.nodeId());
                flushLost();
                clusterView.recompute();
                for (final PeerListener listener : peerListeners)
                {
                    listener.onPeerLost(peer);
                }
            }
        }, this::tick);

        channelHost = context.roles().contains(Role.CHANNEL) ? wiring.channelHost(context, agent.peers(), errorHandler) : null;
        if (null != channelHost)
        {
            for (final int templateId : new int[]{ SubscribeDecoder.TEMPLATE_ID, UnsubscribeDecoder.TEMPLATE_ID,
                PublishDecoder.TEMPLATE_ID, TransientDecoder.TEMPLATE_ID, ReactDecoder.TEMPLATE_ID,
                HistoryRequestDecoder.TEMPLATE_ID })
            {
                agent.handle(templateId, channelHost);
            }
        }

        presenceHost = context.roles().contains(Role.PRESENCE) ?
            wiring.presenceHost(context, agent.peers(), errorHandler) : null;
        if (null != presenceHost)
        {
            for (final int templateId : new int[]{ PresenceConnectDecoder.TEMPLATE_ID,
                PresenceDisconnectDecoder.TEMPLATE_ID, PresenceWatchDecoder.TEMPLATE_ID,
                PresenceUnwatchDecoder.TEMPLATE_ID, PresenceSetStatusDecoder.TEMPLATE_ID,
                PresenceQueryDecoder.TEMPLATE_ID })
            {
                agent.handle(templateId, presenceHost);
            }
        }

        this.clusterView = new ClusterView(context, agent.peers(), null != context.zookeeper());
        clusterView.recompute();
        this.membership = null == context.zookeeper() ? null : new ZooKeeperMembership(
            context.zookeeper(), context.cluster(), context.zookeeperSessionTimeoutMs(),
            new Member(context.nodeId(), context.nodeName(), context.roles(), context.region(),
                context.listenChannel(), context.publicUrl()),
            new MembershipListener()
            {
                public void onMemberUp(final Member member)
                {
                    postOrWarn(() ->
                    {
                        agent.peers().onMemberUp(member);
                        clusterView.recompute();
                    });
                }

                public void onMemberDown(final Member member)
                {
                    postOrWarn(() ->
                    {
                        agent.peers().onMemberDown(member);
                        clusterView.recompute();
                    });
                }
            });

        final AtomicCounter errorCounter = aeron.addCounter(
            TransportCounters.SWITCHBOARD_COUNTER_TYPE_ID, "switchboard " + context.nodeName() + ": agent errors");
        this.runner = new AgentRunner(
            IdleStrategies.newInstance(context.idleStrategy()), errorHandler, errorCounter, agent);
    }

    /**
     * Start a node: driver, client, hosts, then the agent thread.
     *
     * @param context node configuration; concluded here.
     * @param wiring  builds the shard hosts of the roles this node plays.
     * @return the running node.
     */
    public static SwitchboardNode launch(final NodeContext context, final RoleWiring wiring)
    {
        final SwitchboardNode node = new SwitchboardNode(context, wiring);
        AgentRunner.startOnThread(node.runner);
        if (null != node.membership)
        {
            node.membership.start(Math.max(10_000, context.zookeeperSessionTimeoutMs()));
        }
        LOG.info("node {} (id {}) up: roles {}, region {}, listening on {} stream {}, {} peer(s) configured",
            context.nodeName(), context.nodeId(), Role.format(context.roles()), context.region(),
            context.listenChannel(), context.streamIdOf(context.nodeId()), context.peers().size());
        return node;
    }

    /**
     * @param listener told of peers coming and going, on the agent thread. Add before traffic starts.
     * @return this.
     */
    public SwitchboardNode addPeerListener(final PeerListener listener)
    {
        peerListeners.add(listener);
        return this;
    }

    /**
     * @return which hosts serve each role; read and listen on the agent thread.
     */
    public ClusterView clusterView()
    {
        return clusterView;
    }

    /**
     * @return the agent: post commands to it, register handlers before traffic starts.
     */
    public NodeAgent agent()
    {
        return agent;
    }

    /**
     * @return the counters of this node.
     */
    public TransportCounters counters()
    {
        return counters;
    }

    /**
     * @return the Aeron client.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the configuration.
     */
    public NodeContext context()
    {
        return context;
    }

    /**
     * @return the channel host, or null when this node does not play that role.
     */
    public ShardHost channelHost()
    {
        return channelHost;
    }

    /**
     * @return the presence host, or null when this node does not play that role.
     */
    public ShardHost presenceHost()
    {
        return presenceHost;
    }

    /**
     * @return the driver directory clients and AeronStat attach to.
     */
    public String aeronDirectoryName()
    {
        return aeron.context().aeronDirectoryName();
    }

    /**
     * Stop the agent, drain and stop the shards, close the client and the embedded driver.
     */
    public void close()
    {
        LOG.info("node {} stopping", context.nodeName());
        CloseHelper.closeAll(membership, runner, channelHost, presenceHost, counters, aeron, driver);
        LOG.info("node {} stopped", context.nodeName());
    }

    private void postOrWarn(final Runnable command)
    {
        // Membership events are rare; a full command queue means the agent is stuck, which must be visible.
        if (!agent.post(command))
        {
            LOG.error("node {} agent command queue full: membership change dropped", context.nodeName());
        }
    }

    private void tick()
    {
        flushLost();
        if (null != channelHost)
        {
            channelHost.tick();
        }
        if (null != presenceHost)
        {
            presenceHost.tick();
        }
    }

    private void flushLost()
    {
        // A NodeLost refused by a full ring is retried on the next tick, never forgotten.
        for (int i = pendingLost.size() - 1; i >= 0; i--)
        {
            final int nodeId = pendingLost.getInt(i);
            final boolean channelDone = null == channelHost || channelHost.onPeerLost(nodeId);
            final boolean presenceDone = null == presenceHost || presenceHost.onPeerLost(nodeId);
            if (channelDone && presenceDone)
            {
                pendingLost.removeAt(i);
            }
        }
    }

    /**
     * Builds the shard hosts of a node. The server wires the engine's channel and presence shards; tests may wire
     * others.
     */
    public interface RoleWiring
    {
        /**
         * @param context      the node's configuration.
         * @param sink         where shards send their output.
         * @param errorHandler where shard errors go.
         * @return the channel host.
         */
        ShardHost channelHost(NodeContext context, PeerDirectory sink, ErrorHandler errorHandler);

        /**
         * @param context      the node's configuration.
         * @param sink         where shards send their output.
         * @param errorHandler where shard errors go.
         * @return the presence host.
         */
        ShardHost presenceHost(NodeContext context, PeerDirectory sink, ErrorHandler errorHandler);
    }
}
