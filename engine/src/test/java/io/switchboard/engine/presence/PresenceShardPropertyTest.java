package io.switchboard.engine.presence;

import io.switchboard.codecs.PresenceStatus;
import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;
import io.switchboard.engine.presence.RecordingSink.StatusOf;
import io.switchboard.engine.presence.RecordingSink.Update;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.codecs.PresenceStatus.AWAY;
import static io.switchboard.codecs.PresenceStatus.OFFLINE;
import static io.switchboard.codecs.PresenceStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Random sequences of presence operations against a host of two shards (users split by ownership), compared after
 * every operation with a model made of plain counters.
 */
class PresenceShardPropertyTest
{
    private static final String[] USERS = { "ann", "ben", "cy", "dee", "eve" };
    private static final int[] GATEWAYS = { 1, 2, 3 };
    private static final int OBSERVER = 99;
    private static final PresenceStatus[] STATUSES = { OFFLINE, ONLINE, AWAY };

    @Test
    void shouldMatchTheModelAndTellOnlyWatchers()
    {
        check(DefaultKeyHasher.INSTANCE);
    }

    @Test
    void shouldMatchTheModelWhenEveryUserKeyCollides()
    {
        check((buffer, offset, length) -> 7L);
    }

    private static void check(final KeyHasher hasher)
    {
        qt().withExamples(300)
            .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 80))
            .checkAssert((ops) -> new Scenario(hasher).play(ops));
    }

    private static final class Scenario
    {
        private final RecordingSink sink = new RecordingSink();
        private final PresenceMessages messages = new PresenceMessages();
        private final PresenceShard[] shards = new PresenceShard[2];
        private final int[][] connections = new int[USERS.length][GATEWAYS.length];
        private final int[][] watches = new int[GATEWAYS.length][USERS.length];
        private final PresenceStatus[] chosen = new PresenceStatus[USERS.length];
        private final List<Map<String, PresenceStatus>> views = new ArrayList<>();
        private long ignoredDisconnects;

        Scenario(final KeyHasher hasher)
        {
            for (int s = 0; s < shards.length; s++)
            {
                final int shard = s;
                shards[s] = new PresenceShard(new PresenceShardContext()
                    .outboundSink(sink)
                    .keyHasher(hasher)
                    .userOwnership((buffer, offset, length) -> (buffer.getByte(offset) & 1) == shard));
            }
            for (int g = 0; g < GATEWAYS.length; g++)
            {
                views.add(new HashMap<>());
            }
            Arrays.fill(chosen, ONLINE);
        }

        void play(final List<Integer> ops)
        {
            for (final int op : ops)
            {
                step(op);
            }
        }

        private void step(final int op)
        {
            final int kind = op % 10;
            final int g = (op / 10) % GATEWAYS.length;
            final int u = (op / 30) % USERS.length;
            final PresenceStatus status = STATUSES[(op / 150) % STATUSES.length];
            final List<Integer> group = group(op / 450);
            final PresenceStatus[] before = effectiveStatuses();
            final List<String> expected = new ArrayList<>();
            final int gateway = GATEWAYS[g];
            final String user = USERS[u];

            switch (kind)
            {
                case 0, 1 ->
                {
                    messages.connect(gateway, user).to(owner(user));
                    connections[u][g]++;
                }
                case 2, 3 ->
                {
                    messages.disconnect(gateway, user).to(owner(user));
                    if (0 == connections[u][g])
                    {
                        ignoredDisconnects++;
                    }
                    else
                    {
                        connections[u][g]--;
                        resetIfOffline(u);
                    }
                }
                case 4 ->
                {
                    messages.setStatus(gateway, user, status).to(owner(user));
                    if (OFFLINE != status && totalConnections(u) > 0)
                    {
                        chosen[u] = status;
                    }
                }
                case 5, 6 ->
                {
                    messages.watch(gateway, names(group)).to(shards);
                    for (final int w : group)
                    {
                        if (0 == watches[g][w]++)
                        {
                            expected.add(gateway + ":" + USERS[w] + ":" + effective(w));
                        }
                    }
                }
                case 7 ->
                {
                    messages.unwatch(gateway, names(group)).to(shards);
                    for (final int w : group)
                    {
                        watches[g][w] = Math.max(0, watches[g][w] - 1);
                    }
                }
                case 8 ->
                {
                    messages.query(gateway, 1000 + op, names(group)).to(shards);
                    assertQueryAnswered(gateway, 1000 + op, group);
                }
                default ->
                {
                    messages.nodeLost(gateway).to(shards);
                    for (int w = 0; w < USERS.length; w++)
                    {
                        watches[g][w] = 0;
                        connections[w][g] = 0;
                        resetIfOffline(w);
                    }
                    views.get(g).clear();
                }
            }

            if (kind != 5 && kind != 6)
            {
                final PresenceStatus[] after = effectiveStatuses();
                for (int w = 0; w < USERS.length; w++)
                {
                    for (int watcher = 0; watcher < GATEWAYS.length; watcher++)
                    {
                        if (before[w] != after[w] && watches[watcher][w] > 0)
                        {
                            expected.add(GATEWAYS[watcher] + ":" + USERS[w] + ":" + after[w]);
                        }
                    }
                }
            }

            assertChangesSentOnlyToWatchers(expected);
            assertModelHolds();
        }

        private void assertChangesSentOnlyToWatchers(final List<String> expected)
        {
            final List<String> changes = new ArrayList<>();
            for (final Update update : sink.updates())
            {
                if (0 == update.correlationId())
                {
                    final int g = indexOf(update.nodeId());
                    for (final StatusOf statusOf : update.statuses())
                    {
                        assertThat(watches[g][indexOf(statusOf.user())])
                            .as("%s sent to %d, which does not watch it", statusOf, update.nodeId())
                            .isPositive();
                        changes.add(update.nodeId() + ":" + statusOf.user() + ":" + statusOf.status());
                        views.get(g).put(statusOf.user(), statusOf.status());
                    }
                }
            }
            sink.clear();

            assertThat(changes).containsExactlyInAnyOrderElementsOf(expected);
            for (int g = 0; g < GATEWAYS.length; g++)
            {
                for (int u = 0; u < USERS.length; u++)
                {
                    if (watches[g][u] > 0)
                    {
                        assertThat(views.get(g).get(USERS[u])).as("gateway %d's view of %s", GATEWAYS[g], USERS[u])
                            .isEqualTo(effective(u));
                    }
                }
            }
        }

        private void assertModelHolds()
        {
            final List<Integer> everyone = List.of(0, 1, 2, 3, 4);
            messages.query(OBSERVER, 1, names(everyone)).to(shards);
            assertQueryAnswered(OBSERVER, 1, everyone);

            int tracked = 0;
            for (int u = 0; u < USERS.length; u++)
            {
                boolean watched = false;
                for (int g = 0; g < GATEWAYS.length; g++)
                {
                    watched |= watches[g][u] > 0;
                }
                tracked += totalConnections(u) > 0 || watched ? 1 : 0;
            }
            assertThat(shards[0].usersTracked() + shards[1].usersTracked()).isEqualTo(tracked);
            assertThat(shards[0].ignoredDisconnects() + shards[1].ignoredDisconnects()).isEqualTo(ignoredDisconnects);
        }

        private void assertQueryAnswered(final int gateway, final long correlationId, final List<Integer> group)
        {
            final List<StatusOf> answers = new ArrayList<>();
            for (final Update update : sink.updates())
            {
                if (update.correlationId() == correlationId)
                {
                    assertThat(update.nodeId()).isEqualTo(gateway);
                    answers.addAll(update.statuses());
                }
            }
            sink.clear();

            final List<StatusOf> expected = new ArrayList<>();
            group.forEach((u) -> expected.add(new StatusOf(USERS[u], effective(u))));
            assertThat(answers).containsExactlyInAnyOrderElementsOf(expected);
        }

        private PresenceShard owner(final String user)
        {
            return shards[user.charAt(0) & 1];
        }

        private void resetIfOffline(final int u)
        {
            if (0 == totalConnections(u))
            {
                chosen[u] = ONLINE;
            }
        }

        private int totalConnections(final int u)
        {
            int total = 0;
            for (final int count : connections[u])
            {
                total += count;
            }
            return total;
        }

        private PresenceStatus effective(final int u)
        {
            return 0 == totalConnections(u) ? OFFLINE : chosen[u];
        }

        private PresenceStatus[] effectiveStatuses()
        {
            final PresenceStatus[] statuses = new PresenceStatus[USERS.length];
            for (int u = 0; u < USERS.length; u++)
            {
                statuses[u] = effective(u);
            }
            return statuses;
        }

        /**
         * A subset of users from the bits of a number, with the first repeated at the end when bit 5 is set.
         */
        private static List<Integer> group(final int bits)
        {
            final List<Integer> group = new ArrayList<>();
            for (int u = 0; u < USERS.length; u++)
            {
                if ((bits & (1 << u)) != 0)
                {
                    group.add(u);
                }
            }
            if (!group.isEmpty() && (bits & 32) != 0)
            {
                group.add(group.get(0));
            }
            return group;
        }

        private static List<String> names(final List<Integer> group)
        {
            return group.stream().map((u) -> USERS[u]).toList();
        }

        private static int indexOf(final int gateway)
        {
            for (int g = 0; g < GATEWAYS.length; g++)
            {
                if (GATEWAYS[g] == gateway)
                {
                    return g;
                }
            }
            throw new AssertionError("unknown gateway " + gateway);
        }

        private static int indexOf(final String user)
        {
            return List.of(USERS).indexOf(user);
        }
    }
}
