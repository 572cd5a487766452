package io.switchboard.gateway.core;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.gateway.GatewayMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compact subscriber storage of a channel: arrays handed to event loops never change afterwards, even when the
 * channel's own array is shared with them, and grouping by loop keeps every session exactly once.
 */
class LocalChannelTest
{
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final List<EmbeddedChannel> sockets = new ArrayList<>();

    private GatewaySession session(final long id, final int loop)
    {
        final EmbeddedChannel socket = new EmbeddedChannel();
        sockets.add(socket);
        return new GatewaySession(id, "user-" + id, socket, loop, metrics);
    }

    @Test
    void shouldNotChangeAnArrayHandedOutWhenTheOnlySessionLeaves()
    {
        final LocalChannel channel = new LocalChannel("general", 1);
        final GatewaySession only = session(1, 0);
        channel.add(only);

        final GatewaySession[][] handedOut = channel.sessionsByLoop(2);
        assertThat(handedOut[0]).containsExactly(only);
        assertThat(handedOut[1]).isEmpty();

        assertThat(channel.remove(only)).isTrue();
        assertThat(channel.sessionCount()).isZero();
        assertThat(handedOut[0]).containsExactly(only);
    }

    @Test
    void shouldNotChangeAnArrayHandedOutWhenSessionsJoinOrLeaveLater()
    {
        final LocalChannel channel = new LocalChannel("general", 1);
        final GatewaySession a = session(1, 0);
        final GatewaySession b = session(2, 0);
        final GatewaySession c = session(3, 0);
        channel.add(a);
        channel.add(b);

        final GatewaySession[][] first = channel.sessionsByLoop(1);
        channel.add(c);
        final GatewaySession[][] second = channel.sessionsByLoop(1);
        assertThat(channel.remove(a)).isTrue();
        final GatewaySession[][] third = channel.sessionsByLoop(1);

        assertThat(first[0]).containsExactly(a, b);
        assertThat(second[0]).containsExactly(a, b, c);
        assertThat(third[0]).containsExactly(b, c);
    }

    @Test
    void shouldGroupEverySessionOnceByLoopThroughGrowthAndRemoval()
    {
        final LocalChannel channel = new LocalChannel("big", 1);
        final List<GatewaySession> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            final GatewaySession session = session(i, i % 3);
            channel.add(session);
            expected.add(session);
            if (i % 7 == 0)
            {
                // Hand out arrays at odd moments so shared and copied arrays both meet later changes.
                channel.sessionsByLoop(3);
            }
        }
        for (int i = 0; i < 100; i += 5)
        {
            assertThat(channel.remove(expected.get(i))).isTrue();
        }
        expected.removeIf(s -> s.id() % 5 == 0);
        assertThat(channel.remove(session(1000, 0))).isFalse();

        final GatewaySession[][] byLoop = channel.sessionsByLoop(3);
        final List<GatewaySession> grouped = new ArrayList<>();
        for (int loop = 0; loop < 3; loop++)
        {
            for (final GatewaySession session : byLoop[loop])
            {
                assertThat(session.loopIndex()).isEqualTo(loop);
                grouped.add(session);
            }
        }
        assertThat(grouped).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(channel.sessionCount()).isEqualTo(expected.size());
        for (int i = 0; i < channel.sessionCount(); i++)
        {
            assertThat(expected).contains(channel.session(i));
        }
    }

    @Test
    void shouldHandWaitingBatchesOverOnce()
    {
        final LocalChannel channel = new LocalChannel("general", 1);
        assertThat(channel.waiting()).isEmpty();
        assertThat(channel.takeWaiting()).isEmpty();

        final SubscribeBatch batch = new SubscribeBatch(session(1, 0), null, 1);
        channel.addWaiting(batch);
        assertThat(channel.waiting()).containsExactly(batch);
        assertThat(channel.takeWaiting()).containsExactly(batch);
        assertThat(channel.waiting()).isEmpty();
    }
}
