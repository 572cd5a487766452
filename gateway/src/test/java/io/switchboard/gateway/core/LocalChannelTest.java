package io.switchboard.gateway.core;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.gateway.GatewayMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compact state of a channel: the part of a sessions array handed to event loops never changes afterwards,
 * whether the channel held one session inline, a shared array or a copied one, and the flags packed into one byte
 * do not disturb each other.
 */
class LocalChannelTest
{
    private final GatewayMetrics metrics = new GatewayMetrics();

    private GatewaySession session(final long id, final int loop)
    {
        return new GatewaySession(id, "user-" + id, new EmbeddedChannel(), loop, metrics);
    }

    /** What an event loop was handed: the array and the count, read when asserted. */
    private record HandedOut(GatewaySession[] sessions, int count, List<GatewaySession> atHandOut)
    {
        static HandedOut of(final LocalChannel channel)
        {
            final GatewaySession[] sessions = channel.deliverySessions();
            final int count = channel.sessionCount();
            return new HandedOut(sessions, count, List.copyOf(Arrays.asList(sessions).subList(0, count)));
        }

        List<GatewaySession> now()
        {
            return Arrays.asList(sessions).subList(0, count);
        }
    }

    @Test
    void shouldNotChangeAnArrayHandedOutWhenTheOnlySessionLeaves()
    {
        final LocalChannel channel = new LocalChannel("general", 1);
        final GatewaySession only = session(1, 0);
        channel.add(only);

        final HandedOut handedOut = HandedOut.of(channel);
        assertThat(handedOut.now()).containsExactly(only);

        assertThat(channel.remove(only)).isTrue();
        assertThat(channel.sessionCount()).isZero();
        assertThat(handedOut.now()).containsExactly(only);
        assertThat(channel.deliverySessions()).isEmpty();
    }

    @Test
    void shouldNotChangeAnArrayHandedOutWhenSessionsJoinOrLeaveLater()
    {
        final LocalChannel channel = new LocalChannel("general", 1);
        final GatewaySession a = session(1, 0);
        final GatewaySession b = session(2, 1);
        final GatewaySession c = session(3, 0);
        channel.add(a);
        channel.add(b);

        final HandedOut first = HandedOut.of(channel);
        channel.add(c);
        final HandedOut second = HandedOut.of(channel);
        assertThat(channel.remove(a)).isTrue();
        final HandedOut third = HandedOut.of(channel);

        assertThat(first.now()).containsExactly(a, b);
        assertThat(second.now()).containsExactly(a, b, c);
        assertThat(third.now()).containsExactly(b, c);
    }

    @Test
    void shouldKeepEveryHandedOutViewAndTheMembersRightThroughRandomJoinsAndLeaves()
    {
        // A model check: whatever the order of joins, leaves and hand-outs (single session inline, array shared,
        // array copied, array grown), the channel holds exactly the model's sessions and no view ever changes.
        final Random random = new Random(42);
        for (int round = 0; round < 200; round++)
        {
            final LocalChannel channel = new LocalChannel("c" + round, 1);
            final List<GatewaySession> model = new ArrayList<>();
            final List<HandedOut> views = new ArrayList<>();
            long nextId = 0;
            for (int step = 0; step < 60; step++)
            {
                final int op = random.nextInt(10);
                if (op < 5 || model.isEmpty())
                {
                    final GatewaySession session = session(nextId++, random.nextInt(3));
                    channel.add(session);
                    model.add(session);
                }
                else if (op < 8)
                {
                    final GatewaySession leaving = model.remove(random.nextInt(model.size()));
                    assertThat(channel.remove(leaving)).isTrue();
                    assertThat(channel.remove(leaving)).isFalse();
                }
                else
                {
                    views.add(HandedOut.of(channel));
                }
                assertThat(channel.sessionCount()).isEqualTo(model.size());
                for (int i = 0; i < channel.sessionCount(); i++)
                {
                    assertThat(channel.session(i)).isSameAs(model.get(i));
                }
                for (final HandedOut view : views)
                {
                    assertThat(view.now()).isEqualTo(view.atHandOut());
                }
            }
        }
    }

    @Test
    void shouldRefuseAnIndexPastTheSessions()
    {
        final LocalChannel channel = new LocalChannel("general", 1);
        channel.add(session(1, 0));
        assertThatThrownBy(() -> channel.session(1)).isInstanceOf(IndexOutOfBoundsException.class);
        channel.add(session(2, 0));
        channel.add(session(3, 0));
        channel.add(session(4, 0));
        channel.add(session(5, 0)); // capacity grows past the count: the spare slot is not a session
        assertThat(channel.sessionCount()).isEqualTo(5);
        assertThatThrownBy(() -> channel.session(5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldKeepEachFlagApartFromTheOthers()
    {
        final LocalChannel channel = new LocalChannel("general", 1);
        assertThat(channel.state).isEqualTo(LocalChannel.UNAVAILABLE);
        assertThat(channel.moved()).isFalse();
        assertThat(channel.wasSubscribed()).isFalse();
        assertThat(channel.queuedToSubscribe()).isFalse();
        assertThat(channel.retryListed()).isFalse();

        channel.queuedToSubscribe(true);
        channel.retryListed(true);
        channel.markMoved();
        assertThat(channel.queuedToSubscribe()).isTrue();
        assertThat(channel.retryListed()).isTrue();
        assertThat(channel.moved()).isTrue();
        assertThat(channel.wasSubscribed()).isFalse();

        channel.markSubscribed();
        channel.queuedToSubscribe(false);
        assertThat(channel.state).isEqualTo(LocalChannel.SUBSCRIBED);
        assertThat(channel.wasSubscribed()).isTrue();
        assertThat(channel.queuedToSubscribe()).isFalse();
        assertThat(channel.retryListed()).isTrue();
        assertThat(channel.moved()).isTrue();

        channel.retryListed(false);
        assertThat(channel.retryListed()).isFalse();
        assertThat(channel.moved()).isTrue();
        assertThat(channel.wasSubscribed()).isTrue();
    }
}
