package io.switchboard.transport;

import io.switchboard.codecs.PresenceStatus;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A presence host that loses a gateway marks that gateway's users offline for their watchers, unless they are
 * connected through another gateway too.
 */
class PresenceHostLivenessTest
{
    private SwitchboardNode host;
    private TestGateway watcher;
    private TestGateway doomed;
    private TestGateway survivor;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(watcher, doomed, survivor, host);
    }

    @Test
    void shouldMarkUsersOfALostGatewayOfflineUnlessConnectedElsewhere()
    {
        host = SwitchboardNode.launch(new NodeContext().nodeId(1).nodeName("presence-host-" + System.nanoTime())
            .roles(java.util.EnumSet.of(Role.PRESENCE)).presenceShards(2), new EngineWiring());
        final String dir = host.aeronDirectoryName();
        watcher = new TestGateway(dir, 11, 1);
        doomed = new TestGateway(dir, 12, 1);
        survivor = new TestGateway(dir, 13, 1);
        pollAll(() -> watcher.connectedToHost() && doomed.connectedToHost() && survivor.connectedToHost(),
            "gateways connected to the presence host");
        pollAll(() -> host.agent().peers().peer(12) != null && host.agent().peers().peer(12).alive() &&
            host.agent().peers().peer(13) != null && host.agent().peers().peer(11) != null, "host knows gateways");

        doomed.connect("only-on-doomed");
        doomed.connect("on-both");
        survivor.connect("on-both");
        watcher.watch("only-on-doomed", "on-both");
        pollAll(() -> watcher.statuses.get("only-on-doomed") == PresenceStatus.ONLINE &&
            watcher.statuses.get("on-both") == PresenceStatus.ONLINE, "both users online for the watcher");

        doomed.close();
        doomed = null;
        final long closedAtNs = System.nanoTime();
        pollAll(() -> watcher.statuses.get("only-on-doomed") == PresenceStatus.OFFLINE,
            "user of the lost gateway offline");
        System.out.println("offline seen " + (System.nanoTime() - closedAtNs) / 1_000_000 + " ms after the gateway stopped");
        assertThat(watcher.statuses.get("on-both")).isEqualTo(PresenceStatus.ONLINE);
    }

    private void pollAll(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TestSupport.DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            int work = watcher.poll() + survivor.poll();
            if (null != doomed)
            {
                work += doomed.poll();
            }
            if (0 == work)
            {
                Thread.yield();
            }
        }
    }
}
