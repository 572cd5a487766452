package io.switchboard.transport.membership;

import io.switchboard.transport.ClusterView;
import io.switchboard.transport.EngineWiring;
import io.switchboard.transport.HostRouting;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import org.apache.curator.test.TestingServer;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes joining through ZooKeeper see each other, compute the same placement, and move partitions off a host as
 * soon as its heartbeats stop.
 */
class ClusterPlacementTest
{
    private TestingServer zookeeper;
    private SwitchboardNode gateway;
    private SwitchboardNode channelA;
    private SwitchboardNode channelB;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(gateway, channelA, channelB, zookeeper);
    }

    private SwitchboardNode node(final int id, final Role role, final String aeronDir)
    {
        return SwitchboardNode.launch(new NodeContext()
            .nodeId(id)
            .nodeName("zk-" + role.name().toLowerCase() + "-" + id + "-" + System.nanoTime())
            .roles(EnumSet.of(role))
            .aeronDir(aeronDir)
            .zookeeper(zookeeper.getConnectString())
            .cluster("placement-test"), new EngineWiring());
    }

    @Test
    void shouldPlaceOnLiveMembersAndMoveOffALostHostWithinASecond() throws Exception
    {
        zookeeper = new TestingServer(true);
        channelA = SwitchboardNode.launch(new NodeContext()
            .nodeId(2)
            .nodeName("zk-channel-2-" + System.nanoTime())
            .roles(EnumSet.of(Role.CHANNEL))
            .zookeeper(zookeeper.getConnectString())
            .cluster("placement-test"), new EngineWiring());
        final String dir = channelA.aeronDirectoryName();
        channelB = node(3, Role.CHANNEL, dir);
        gateway = node(1, Role.GATEWAY, dir);

        final List<List<Integer>> seen = new CopyOnWriteArrayList<>();
        final AtomicReference<HostRouting> routing = new AtomicReference<>();
        // The gateway may already have seen both hosts before the listener is added, so record the view as it
        // stands on the agent thread first, then every change after it.
        gateway.agent().post(() ->
        {
            final ClusterView view = gateway.clusterView();
            routing.set(view.routing(Role.CHANNEL));
            seen.add(view.hosts(Role.CHANNEL));
            view.addListener((role, next) ->
            {
                if (role == Role.CHANNEL)
                {
                    routing.set(next);
                    seen.add(view.hosts(Role.CHANNEL));
                }
            });
        });
        await(() -> !seen.isEmpty() && seen.get(seen.size() - 1).equals(List.of(2, 3)), "gateway sees both hosts");
        final HostRouting both = routing.get();
        int ownedByB = 0;
        for (int p = 0; p < 4096; p++)
        {
            ownedByB += both.ownerOfPartition(p) == 3 ? 1 : 0;
        }
        assertThat(ownedByB).isBetween(2047, 2049);

        channelB.close();
        final long closedNs = System.nanoTime();
        channelB = null;
        await(() -> seen.get(seen.size() - 1).equals(List.of(2)), "host 3 removed from placement");
        final long movedMs = (System.nanoTime() - closedNs) / 1_000_000;
        System.out.println("placement moved " + movedMs + " ms after host 3 stopped");
        for (int p = 0; p < 4096; p++)
        {
            assertThat(routing.get().ownerOfPartition(p)).isEqualTo(2);
        }
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
}
