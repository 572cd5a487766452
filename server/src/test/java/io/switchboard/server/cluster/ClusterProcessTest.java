package io.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.partition.Partitioner;
import io.switchboard.transport.HostRouting;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.switchboard.server.cluster.Ledger.type;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster of real processes: ZooKeeper in the test JVM, channel hosts and gateways as separate JVMs started the
 * way an operator starts them. Channel hosts join, leave and are killed (kill -9), a ZooKeeper server is lost, a
 * gateway drains and another dies; a publisher counts what it sent and a subscriber what it got, and the
 * {@link Ledger} compares them. Times (failover, offline) are printed, never asserted.
 */
class ClusterProcessTest
{
    private static final List<String> CHANNELS = channels(12);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    @Test
    void shouldMoveChannelsWhenHostsJoinLeaveAndDie() throws Exception
    {
        final ZooKeeperEnsemble zk = keep(ZooKeeperEnsemble.start());
        keep(NodeProcess.start(11, "channel", "eu", zk.connectString()));
        final NodeProcess gateway = keep(NodeProcess.start(1, "gateway,api,presence", "eu", zk.connectString()));
        final ClusterClient subscriber = keep(ClusterClient.connect(gateway, "sub", CHANNELS));
        final ClusterClient publisher = keep(ClusterClient.connect(gateway, "pub", CHANNELS));
        subscriber.await(f -> "subscribed".equals(type(f)), "subscribed");
        final Ledger ledger = new Ledger(publisher, subscriber);
        ledger.awaitServed(CHANNELS);
        ledger.round(CHANNELS, 5);

        final NodeProcess joining = keep(NodeProcess.start(12, "channel", "eu", zk.connectString()));
        gateway.awaitLine("placement: channel hosts [11, 12]");
        ledger.awaitServed(CHANNELS);
        ledger.round(CHANNELS, 5);
        assertThat(gateway.awaitLine("local channel(s) moved")).isNotEmpty();
        ledger.check("after join");

        joining.stop();
        gateway.awaitLine("placement: channel hosts [11] (was [11, 12])");
        ledger.awaitServed(CHANNELS);
        ledger.round(CHANNELS, 5);
        ledger.check("after leave");

        final NodeProcess victim = keep(NodeProcess.start(13, "channel", "eu", zk.connectString()));
        gateway.awaitLine("placement: channel hosts [11, 13]");
        ledger.awaitServed(CHANNELS);
        final String affected = firstOwnedBy(13, List.of(11, 13));
        final List<JsonNode> before = subscriber.matching(f -> "message".equals(type(f)) &&
            affected.equals(f.path("channel").asText()));
        final long oldEpoch = before.get(before.size() - 1).path("epoch").asLong();

        final AtomicBoolean publishing = new AtomicBoolean(true);
        final Thread load = new Thread(() ->
        {
            while (publishing.get())
            {
                ledger.publish(affected);
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            }
        }, "publisher");
        load.start();
        subscriber.awaitArrivalAfter(f -> "message".equals(type(f)) && affected.equals(f.path("channel").asText()),
            System.nanoTime(), "load flowing on " + affected);
        final long killNs = System.nanoTime();
        victim.kill();
        final long servedNs = subscriber.awaitArrivalAfter(f -> "message".equals(type(f)) &&
            affected.equals(f.path("channel").asText()) && f.path("epoch").asLong() != oldEpoch, killNs,
            "a message on " + affected + " from its new owner");
        publishing.set(false);
        load.join();
        System.out.printf("FAILOVER kill -9 of channel host 13 -> first message delivered on %s: %.1f ms%n",
            affected, (servedNs - killNs) / 1e6);
        gateway.awaitLine("placement: channel hosts [11] (was [11, 13])");
        ledger.round(CHANNELS, 5);
        ledger.check("after kill -9");
    }

    @Test
    void shouldKeepServingWhileZooKeeperIsLostAndMoveChannelsOnceItIsBack() throws Exception
    {
        final ZooKeeperEnsemble zk = keep(ZooKeeperEnsemble.start());
        keep(NodeProcess.start(11, "channel", "eu", zk.connectString()));
        final NodeProcess second = keep(NodeProcess.start(12, "channel", "eu", zk.connectString()));
        final NodeProcess gateway = keep(NodeProcess.start(1, "gateway,api,presence", "eu", zk.connectString()));
        gateway.awaitLine("placement: channel hosts [11, 12]");
        final ClusterClient subscriber = keep(ClusterClient.connect(gateway, "sub", CHANNELS));
        final ClusterClient publisher = keep(ClusterClient.connect(gateway, "pub", CHANNELS));
        final Ledger ledger = new Ledger(publisher, subscriber);
        ledger.awaitServed(CHANNELS);
        ledger.round(CHANNELS, 5);

        final int linesBefore = gateway.lineCount();
        zk.stopServer();
        ledger.round(CHANNELS, 5);
        ledger.round(CHANNELS, 5);
        assertThat(gateway.hasLineSince("placement: channel hosts", linesBefore))
            .as("losing ZooKeeper moves nothing: traffic never goes through it").isFalse();
        zk.startServer();

        // Membership works again once ZooKeeper is back: a new host is seen, a killed host's channels move.
        keep(NodeProcess.start(13, "channel", "eu", zk.connectString()));
        gateway.awaitLine("placement: channel hosts [11, 12, 13]");
        ledger.awaitServed(CHANNELS);
        second.kill();
        gateway.awaitLine("placement: channel hosts [11, 13] (was [11, 12, 13])");
        ledger.awaitServed(CHANNELS);
        ledger.round(CHANNELS, 5);
        ledger.check("after ZooKeeper loss and kill -9");
    }

    @Test
    void shouldDrainToALiveGatewayOfTheSameRegionAndTakeALostGatewaysUsersOffline() throws Exception
    {
        final ZooKeeperEnsemble zk = keep(ZooKeeperEnsemble.start());
        keep(NodeProcess.start(11, "channel,presence", "eu", zk.connectString()));
        final NodeProcess draining = keep(NodeProcess.start(1, "gateway,api", "eu", zk.connectString()));
        final NodeProcess sameRegion = keep(NodeProcess.start(2, "gateway,api", "eu", zk.connectString()));
        final NodeProcess otherRegion = keep(NodeProcess.start(3, "gateway,api", "us", zk.connectString()));
        draining.awaitLine("peer up: n2");
        draining.awaitLine("peer up: n3");

        final ClusterClient early = keep(ClusterClient.connect(draining, "early", List.of("general")));
        final JsonNode answer = ClusterClient.post(draining, "/admin/drain", "{\"graceMs\":60000}");
        final JsonNode drain = early.await(f -> "drain".equals(type(f)), "drain");
        assertThat(drain.path("url").asText()).isEqualTo(sameRegion.webSocketUrl());
        assertThat(answer.path("url").asText()).isEqualTo(sameRegion.webSocketUrl());

        final ClusterClient watcher = keep(ClusterClient.connect(otherRegion, "watcher", List.of("general")));
        final ClusterClient alice = keep(ClusterClient.connect(sameRegion, "alice", List.of("general")));
        watcher.send("{\"type\":\"presence.watch\",\"users\":[\"alice\"]}");
        watcher.await(f -> isStatus(f, "alice", "online"), "alice online");
        final long killNs = System.nanoTime();
        sameRegion.kill();
        final long offlineNs = watcher.awaitArrivalAfter(f -> isStatus(f, "alice", "offline"), killNs, "offline");
        System.out.printf("OFFLINE kill -9 of alice's only gateway -> watcher sees her offline: %.1f ms%n",
            (offlineNs - killNs) / 1e6);

        draining.awaitLine("peer lost: n2");
        final JsonNode again = ClusterClient.post(draining, "/admin/drain", "{\"graceMs\":60000}");
        assertThat(again.path("url").asText())
            .as("no gateway left in the region: another region's").isEqualTo(otherRegion.webSocketUrl());
    }

    private static boolean isStatus(final JsonNode frame, final String user, final String status)
    {
        if (!"presence".equals(type(frame)))
        {
            return false;
        }
        for (final JsonNode update : frame.path("updates"))
        {
            if (user.equals(update.path("user").asText()) && status.equals(update.path("status").asText()))
            {
                return true;
            }
        }
        return false;
    }

    private static String firstOwnedBy(final int nodeId, final List<Integer> hosts)
    {
        final HostRouting routing = new HostRouting(new Partitioner(4096), hosts);
        for (final String channel : CHANNELS)
        {
            final byte[] bytes = channel.getBytes(StandardCharsets.UTF_8);
            if (routing.ownerOf(new UnsafeBuffer(bytes), 0, bytes.length) == nodeId)
            {
                return channel;
            }
        }
        throw new AssertionError("no test channel is owned by " + nodeId + ": use more channels");
    }

    private static List<String> channels(final int count)
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            names.add("room-" + i);
        }
        return names;
    }

    private <T extends AutoCloseable> T keep(final T resource)
    {
        resources.add(resource);
        return resource;
    }
}
