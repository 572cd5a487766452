package io.switchboard.transport.membership;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cluster membership in ZooKeeper through Apache Curator: this node holds an ephemeral node
 * {@code /switchboard/<cluster>/members/<nodeId>} (re-created by Curator after a session loss) and watches its
 * siblings. A node that dies drops out when its session times out; Switchboard's own heartbeats notice it sooner,
 * so placement reacts within a second while ZooKeeper stays the authority on who belongs.
 * <p>
 * Thread-safety: {@link #members()} may be called from any thread; listeners run on Curator's event thread.
 */
public final class ZooKeeperMembership implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMembership.class);

    private final CuratorFramework curator;
    private final PersistentNode registration;
    private final CuratorCache cache;
    private final String membersPath;
    private final Member self;
    private final MembershipListener listener;
    private final Map<Integer, Member> members = new ConcurrentHashMap<>();

    /**
     * @param connectString    host:port[,host:port...] of the ZooKeeper ensemble.
     * @param cluster          name of the cluster (several clusters may share an ensemble).
     * @param sessionTimeoutMs ZooKeeper session timeout.
     * @param self             this node.
     * @param listener         told of changes, including this node's own registration.
     */
    public ZooKeeperMembership(
        final String connectString,
        final String cluster,
        final int sessionTimeoutMs,
        final Member self,
        final MembershipListener listener)
    {
        this.self = self;
        this.listener = listener;
        this.membersPath = "/switchboard/" + cluster + "/members";
        this.curator = CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(sessionTimeoutMs)
            .connectionTimeoutMs(Math.min(sessionTimeoutMs, 5_000))
            .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
            .build();
        this.registration = new PersistentNode(
            curator, CreateMode.EPHEMERAL, false, membersPath + "/" + self.nodeId(), self.toBytes());
        this.cache = CuratorCache.build(curator, membersPath);
        cache.listenable().addListener(CuratorCacheListener.builder()
            .forCreates(this::onCreated)
            .forChanges((before, after) -> onCreated(after))
            .forDeletes(this::onDeleted)
            .build());
    }

    /**
     * Connect, register and start watching.
     *
     * @param timeoutMs how long to wait for the registration to exist.
     * @return this.
     * @throws IllegalStateException when ZooKeeper cannot be reached in time.
     */
    public ZooKeeperMembership start(final long timeoutMs)
    {
        curator.start();
        registration.start();
        cache.start();
        try
        {
            if (!registration.waitForInitialCreate(timeoutMs, TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("could not register in ZooKeeper " +
                    curator.getZookeeperClient().getCurrentConnectionString() + " within " + timeoutMs + " ms");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering in ZooKeeper", ex);
        }
        LOG.info("membership: registered {} under {}", self.describe(), membersPath);
        return this;
    }

    /**
     * @return the members currently registered, this node included.
     */
    public List<Member> members()
    {
        return new ArrayList<>(members.values());
    }

    /**
     * Leave the cluster: the registration is removed at once, not after a session timeout.
     */
    public void close()
    {
        try
        {
            cache.close();
            registration.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("membership: error while leaving", ex);
        }
        finally
        {
            curator.close();
        }
        LOG.info("membership: {} left", self.name());
    }

    private void onCreated(final ChildData data)
    {
        final Member member = parse(data);
        if (null != member)
        {
            final Member previous = members.put(member.nodeId(), member);
            if (!member.equals(previous))
            {
                LOG.info("membership: up {}", member.describe());
                listener.onMemberUp(member);
            }
        }
    }

    private void onDeleted(final ChildData data)
    {
        final Member member = parse(data);
        if (null != member && null != members.remove(member.nodeId()))
        {
            LOG.info("membership: down {}", member.describe());
            listener.onMemberDown(member);
        }
    }

    private Member parse(final ChildData data)
    {
        if (null == data || membersPath.equals(data.getPath()) || null == data.getData() || data.getData().length == 0)
        {
            return null;
        }
        try
        {
            return Member.fromBytes(data.getData());
        }
        catch (final IllegalArgumentException ex)
        {
            LOG.warn("membership: ignoring malformed registration at {}: {}", data.getPath(), ex.getMessage());
            return null;
        }
    }
}
