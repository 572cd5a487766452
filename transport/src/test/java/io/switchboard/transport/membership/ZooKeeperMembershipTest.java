package io.switchboard.transport.membership;

import io.switchboard.transport.Role;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.curator.test.TestingZooKeeperServer;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Membership against a real ZooKeeper: Curator's TestingServer, and a three-server TestingCluster that loses one.
 */
class ZooKeeperMembershipTest
{
    private TestingServer server;
    private TestingCluster cluster;
    private ZooKeeperMembership a;
    private ZooKeeperMembership b;

    @AfterEach
    void stop() throws Exception
    {
        CloseHelper.closeAll(a, b, server, cluster);
    }

    private static Member member(final int id, final Role role)
    {
        return new Member(id, "node-" + id, EnumSet.of(role), "eu", "aeron:udp?endpoint=127.0.0.1:" + (40000 + id),
            role == Role.GATEWAY ? "ws://127.0.0.1:" + (8000 + id) + "/ws" : "");
    }

    @Test
    void shouldSeeMembersJoinAndLeave() throws Exception
    {
        server = new TestingServer(true);
        final Recorder seenByA = new Recorder();
        a = new ZooKeeperMembership(server.getConnectString(), "test", 5_000, member(1, Role.GATEWAY), seenByA)
            .start(10_000);
        await(() -> seenByA.up.containsKey(1), "A sees itself");

        b = new ZooKeeperMembership(server.getConnectString(), "test", 5_000, member(2, Role.CHANNEL), new Recorder())
            .start(10_000);
        await(() -> seenByA.up.containsKey(2), "A sees B join");
        final Member seen = seenByA.up.get(2);
        assertThat(seen.roles()).containsExactly(Role.CHANNEL);
        assertThat(seen.endpoint()).isEqualTo("aeron:udp?endpoint=127.0.0.1:40002");
        assertThat(a.members()).extracting(Member::nodeId).containsExactlyInAnyOrder(1, 2);

        b.close();
        b = null;
        await(() -> seenByA.down.containsKey(2), "A sees B leave");
        assertThat(a.members()).extracting(Member::nodeId).containsExactly(1);
    }

    @Test
    void shouldKeepMembershipWhenOneOfThreeZooKeeperServersIsLost() throws Exception
    {
        cluster = new TestingCluster(3);
        cluster.start();
        final Recorder seenByA = new Recorder();
        // Sessions long enough to outlive a leader election and the clients' reconnect on a slow machine: the test
        // is that losing one server of three loses nobody, not how fast an election is.
        a = new ZooKeeperMembership(cluster.getConnectString(), "ha", 20_000, member(1, Role.GATEWAY), seenByA)
            .start(20_000);
        b = new ZooKeeperMembership(cluster.getConnectString(), "ha", 20_000, member(2, Role.CHANNEL), new Recorder())
            .start(20_000);
        await(() -> seenByA.up.containsKey(2), "A sees B");

        final List<TestingZooKeeperServer> servers = cluster.getServers();
        servers.get(0).kill();

        final Recorder seenByC = new Recorder();
        try (ZooKeeperMembership c = new ZooKeeperMembership(
            cluster.getConnectString(), "ha", 8_000, member(3, Role.PRESENCE), seenByC).start(20_000))
        {
            await(() -> seenByA.up.containsKey(3), "A sees C join after a ZooKeeper server died");
            await(() -> seenByC.up.keySet().containsAll(List.of(1, 2, 3)), "C sees everyone");
        }
        await(() -> seenByA.down.containsKey(3), "A sees C leave");
        assertThat(seenByA.down).doesNotContainKey(2);
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static final class Recorder implements MembershipListener
    {
        final Map<Integer, Member> up = new ConcurrentHashMap<>();
        final Map<Integer, Member> down = new ConcurrentHashMap<>();

        public void onMemberUp(final Member member)
        {
            up.put(member.nodeId(), member);
        }

        public void onMemberDown(final Member member)
        {
            down.put(member.nodeId(), member);
        }
    }
}
