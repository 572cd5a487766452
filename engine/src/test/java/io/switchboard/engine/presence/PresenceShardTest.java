package io.switchboard.engine.presence;

import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.presence.RecordingSink.StatusOf;
import io.switchboard.engine.presence.RecordingSink.Update;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static io.switchboard.codecs.PresenceStatus.AWAY;
import static io.switchboard.codecs.PresenceStatus.OFFLINE;
import static io.switchboard.codecs.PresenceStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PresenceShardTest
{
    private static final int GATEWAY_A = 1;
    private static final int GATEWAY_B = 2;
    private static final int GATEWAY_C = 3;

    private final RecordingSink sink = new RecordingSink();
    private final PresenceMessages messages = new PresenceMessages();
    private PresenceShard shard;

    @BeforeEach
    void setUp()
    {
        shard = new PresenceShard(new PresenceShardContext().outboundSink(sink));
    }

    @Test
    void shouldTellWatchersWhenAUserComesOnline()
    {
        watch(GATEWAY_B, "alice");

        messages.connect(GATEWAY_A, "alice").to(shard);

        assertThat(sink.updates()).containsExactly(update(GATEWAY_B, 0, "alice", ONLINE));
        assertThat(shard.updatesSent()).as("the watch reply, then the change").isEqualTo(2);
    }

    @Test
    void shouldSendOneUpdatePerWatchingGatewayAndNoneToOthers()
    {
        watch(GATEWAY_A, "alice");
        watch(GATEWAY_B, "alice");
        watch(GATEWAY_C, "bob");

        messages.connect(GATEWAY_C, "alice").to(shard);

        assertThat(sink.updates()).containsExactlyInAnyOrder(
            update(GATEWAY_A, 0, "alice", ONLINE),
            update(GATEWAY_B, 0, "alice", ONLINE));
    }

    @Test
    void shouldStayOnlineWhileAnyConnectionRemains()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_B, "alice").to(shard);
        watch(GATEWAY_C, "alice");

        messages.disconnect(GATEWAY_A, "alice").to(shard);
        messages.disconnect(GATEWAY_B, "alice").to(shard);
        assertThat(sink.sent()).isEmpty();

        messages.disconnect(GATEWAY_A, "alice").to(shard);
        assertThat(sink.updates()).containsExactly(update(GATEWAY_C, 0, "alice", OFFLINE));
    }

    @Test
    void shouldIgnoreAndCountDisconnectsWithoutConnection()
    {
        watch(GATEWAY_C, "alice");
        messages.disconnect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_B, "alice").to(shard);
        messages.disconnect(GATEWAY_A, "alice").to(shard);
        messages.disconnect(GATEWAY_A, "nobody").to(shard);

        assertThat(shard.ignoredDisconnects()).isEqualTo(3);
        assertThat(sink.updates()).containsExactly(update(GATEWAY_C, 0, "alice", ONLINE));

        sink.clear();
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.disconnect(GATEWAY_B, "alice").to(shard);
        assertThat(sink.sent()).as("still connected on A, the earlier disconnects did not go negative").isEmpty();
    }

    @Test
    void shouldSendTheCurrentStatusOfNewlyWatchedUsersOfflineIncluded()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_A, "bob").to(shard);
        messages.setStatus(GATEWAY_A, "bob", AWAY).to(shard);

        messages.watch(GATEWAY_B, List.of("alice", "bob", "carol")).to(shard);

        assertThat(sink.updates()).containsExactly(new Update(GATEWAY_B, 0, List.of(
            new StatusOf("alice", ONLINE), new StatusOf("bob", AWAY), new StatusOf("carol", OFFLINE)),
            sink.updates().get(0).length()));
    }

    @Test
    void shouldSendStatusOnlyForUsersNewlyWatchedByTheGateway()
    {
        watch(GATEWAY_B, "alice");

        messages.watch(GATEWAY_B, List.of("alice", "bob", "bob")).to(shard);
        messages.watch(GATEWAY_B, List.of("alice")).to(shard);

        assertThat(sink.updates()).containsExactly(update(GATEWAY_B, 0, "bob", OFFLINE));
    }

    @Test
    void shouldKeepWatchingUntilTheLastUnwatch()
    {
        messages.watch(GATEWAY_B, List.of("alice")).to(shard);
        messages.watch(GATEWAY_B, List.of("alice")).to(shard);
        messages.unwatch(GATEWAY_B, List.of("alice")).to(shard);
        sink.clear();

        messages.connect(GATEWAY_A, "alice").to(shard);
        assertThat(sink.updates()).containsExactly(update(GATEWAY_B, 0, "alice", ONLINE));

        sink.clear();
        messages.unwatch(GATEWAY_B, List.of("alice")).to(shard);
        messages.disconnect(GATEWAY_A, "alice").to(shard);
        assertThat(sink.sent()).isEmpty();
    }

    @Test
    void shouldIgnoreAndCountUnwatchesBelowZero()
    {
        messages.unwatch(GATEWAY_B, List.of("alice", "bob")).to(shard);
        messages.watch(GATEWAY_B, List.of("alice")).to(shard);
        messages.unwatch(GATEWAY_B, List.of("alice", "alice")).to(shard);
        sink.clear();

        messages.watch(GATEWAY_B, List.of("alice")).to(shard);

        assertThat(shard.ignoredUnwatches()).isEqualTo(3);
        assertThat(sink.updates()).as("the watch counts from zero again").containsExactly(
            update(GATEWAY_B, 0, "alice", OFFLINE));
    }

    @Test
    void shouldTellWatchersAboutAwayAndBack()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        watch(GATEWAY_B, "alice");

        messages.setStatus(GATEWAY_A, "alice", AWAY).to(shard);
        messages.setStatus(GATEWAY_A, "alice", AWAY).to(shard);
        messages.setStatus(GATEWAY_A, "alice", ONLINE).to(shard);

        assertThat(sink.updates()).containsExactly(
            update(GATEWAY_B, 0, "alice", AWAY),
            update(GATEWAY_B, 0, "alice", ONLINE));
    }

    @Test
    void shouldIgnoreAndCountOfflineOrStatusOfUsersWithoutConnection()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        watch(GATEWAY_B, "alice", "bob");

        messages.setStatus(GATEWAY_A, "alice", OFFLINE).to(shard);
        messages.setStatus(GATEWAY_A, "alice", PresenceStatus.NULL_VAL).to(shard);
        messages.setStatus(GATEWAY_A, "bob", AWAY).to(shard);
        messages.setStatus(GATEWAY_A, "carol", AWAY).to(shard);

        assertThat(shard.ignoredStatusChanges()).isEqualTo(4);
        assertThat(sink.sent()).isEmpty();
    }

    @Test
    void shouldResetTheChosenStatusWhenTheUserGoesFullyOffline()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.setStatus(GATEWAY_A, "alice", AWAY).to(shard);
        watch(GATEWAY_B, "alice");

        messages.disconnect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_A, "alice").to(shard);

        assertThat(sink.updates()).containsExactly(
            update(GATEWAY_B, 0, "alice", OFFLINE),
            update(GATEWAY_B, 0, "alice", ONLINE));
    }

    @Test
    void shouldAnswerAQueryWithItsCorrelationId()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_A, "bob").to(shard);
        messages.setStatus(GATEWAY_A, "bob", AWAY).to(shard);

        messages.query(GATEWAY_C, 42, List.of("bob", "alice", "zed")).to(shard);

        final List<Update> updates = sink.updates();
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).nodeId()).isEqualTo(GATEWAY_C);
        assertThat(updates.get(0).correlationId()).isEqualTo(42);
        assertThat(updates.get(0).statuses()).containsExactly(
            new StatusOf("bob", AWAY), new StatusOf("alice", ONLINE), new StatusOf("zed", OFFLINE));
        assertThat(shard.usersTracked()).as("a query creates no state").isEqualTo(2);
    }

    @Test
    void shouldRejectAQueryOfMoreThan500UsersOnceFromTheOwnerOfTheFirstUser()
    {
        final List<String> users = IntStream.range(0, 501).mapToObj((i) -> "user-" + i).toList();
        final RecordingSink otherSink = new RecordingSink();
        final PresenceShard owner = new PresenceShard(new PresenceShardContext()
            .outboundSink(sink).userOwnership(ownsOnly(Set.of("user-0"))));
        final PresenceShard other = new PresenceShard(new PresenceShardContext()
            .outboundSink(otherSink).userOwnership(notOwning(Set.of("user-0"))));

        messages.query(GATEWAY_C, 7, users).to(owner, other);

        assertThat(sink.errors()).containsExactly(new RecordingSink.Error(
            GATEWAY_C, 7, ErrorCode.TOO_LARGE, "a presence query names at most 500 users"));
        assertThat(sink.updates()).isEmpty();
        assertThat(otherSink.sent()).isEmpty();
        assertThat(owner.rejectedQueries()).isEqualTo(1);
        assertThat(owner.errorsSent()).isEqualTo(1);
    }

    @Test
    void shouldAnswerExactly500Users()
    {
        final List<String> users = IntStream.range(0, 500).mapToObj((i) -> "user-" + i).toList();

        messages.query(GATEWAY_C, 7, users).to(shard);

        assertThat(sink.updates()).hasSize(1);
        assertThat(sink.updates().get(0).statuses()).hasSize(500);
    }

    @Test
    void shouldHandleOnlyOwnedUsersOfGroupMessages()
    {
        final RecordingSink otherSink = new RecordingSink();
        final PresenceShard aliceShard = new PresenceShard(new PresenceShardContext()
            .outboundSink(sink).userOwnership(ownsOnly(Set.of("alice"))));
        final PresenceShard otherShard = new PresenceShard(new PresenceShardContext()
            .outboundSink(otherSink).userOwnership(notOwning(Set.of("alice"))));
        messages.connect(GATEWAY_A, "alice").to(aliceShard);
        messages.connect(GATEWAY_A, "bob").to(otherShard);

        messages.watch(GATEWAY_B, List.of("alice", "bob")).to(aliceShard, otherShard);
        messages.query(GATEWAY_B, 9, List.of("alice", "bob", "carol")).to(aliceShard, otherShard);

        assertThat(sink.updates()).containsExactly(
            update(GATEWAY_B, 0, "alice", ONLINE),
            update(GATEWAY_B, 9, "alice", ONLINE));
        assertThat(otherSink.updates()).extracting(Update::statuses).containsExactly(
            List.of(new StatusOf("bob", ONLINE)),
            List.of(new StatusOf("bob", ONLINE), new StatusOf("carol", OFFLINE)));
        assertThat(aliceShard.usersTracked()).isEqualTo(1);
        assertThat(otherShard.usersTracked()).isEqualTo(1);
    }

    @Test
    void shouldSendNothingForAQueryOfUsersItDoesNotOwn()
    {
        final PresenceShard shard = new PresenceShard(new PresenceShardContext()
            .outboundSink(sink).userOwnership(ownsOnly(Set.of("alice"))));

        messages.query(GATEWAY_B, 9, List.of("bob")).to(shard);
        messages.query(GATEWAY_B, 10, List.of()).to(shard);

        assertThat(sink.sent()).isEmpty();
    }

    @Test
    void shouldDropAllConnectionsAndWatchesOfALostNodeAtOnce()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_A, "alice").to(shard);
        messages.connect(GATEWAY_A, "bob").to(shard);
        messages.connect(GATEWAY_B, "bob").to(shard);
        messages.connect(GATEWAY_A, "carol").to(shard);
        messages.setStatus(GATEWAY_A, "carol", AWAY).to(shard);
        watch(GATEWAY_A, "alice", "bob", "dave");
        watch(GATEWAY_B, "alice", "bob", "carol");
        watch(GATEWAY_C, "carol");

        messages.nodeLost(GATEWAY_A).to(shard);

        final List<Update> updates = sink.updates();
        assertThat(updates).extracting(Update::nodeId).containsExactlyInAnyOrder(GATEWAY_B, GATEWAY_C);
        assertThat(updateTo(updates, GATEWAY_B).statuses()).containsExactlyInAnyOrder(
            new StatusOf("alice", OFFLINE), new StatusOf("carol", OFFLINE));
        assertThat(updateTo(updates, GATEWAY_C)).isEqualTo(update(GATEWAY_C, 0, "carol", OFFLINE));
        assertThat(shard.usersTracked()).as("dave was only watched by A").isEqualTo(3);

        sink.clear();
        messages.connect(GATEWAY_C, "dave").to(shard);
        messages.connect(GATEWAY_C, "alice").to(shard);
        assertThat(sink.updates()).as("A's watches are gone").containsExactly(update(GATEWAY_B, 0, "alice", ONLINE));
    }

    @Test
    void shouldIgnoreTheLossOfAnUnknownNode()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        watch(GATEWAY_B, "alice");

        messages.nodeLost(GATEWAY_C).to(shard);

        assertThat(sink.sent()).isEmpty();
        assertThat(shard.usersTracked()).isEqualTo(1);
    }

    @Test
    void shouldBatchNodeLossUpdatesIntoAsFewMessagesAsFit()
    {
        final int maxMessageSize = 2048;
        final PresenceShard shard = new PresenceShard(new PresenceShardContext()
            .outboundSink(sink).maxMessageSize(maxMessageSize));
        final List<String> users = IntStream.range(0, 300).mapToObj((i) -> "user-" + (100_000 + i)).toList();
        users.forEach((user) -> messages.connect(GATEWAY_A, user).to(shard));
        messages.watch(GATEWAY_B, users).to(shard);
        messages.watch(GATEWAY_C, users.subList(0, 10)).to(shard);
        sink.clear();

        messages.nodeLost(GATEWAY_A).to(shard);

        final List<Update> toB = sink.updates().stream().filter((u) -> u.nodeId() == GATEWAY_B).toList();
        final List<Update> toC = sink.updates().stream().filter((u) -> u.nodeId() == GATEWAY_C).toList();
        // 20 bytes of message overhead, then 3 + 11 bytes per user: 144 per message, 300 users take 3 messages.
        assertThat(toB).hasSize(3);
        assertThat(toB).allSatisfy((u) -> assertThat(u.length()).isLessThanOrEqualTo(maxMessageSize));
        assertThat(toB.stream().flatMap((u) -> u.statuses().stream()).map(StatusOf::user).toList())
            .containsExactlyInAnyOrderElementsOf(users);
        assertThat(toC).hasSize(1);
        assertThat(toC.get(0).statuses()).hasSize(10);
        assertThat(sink.updates()).allSatisfy((u) -> assertThat(u.statuses()).allSatisfy(
            (s) -> assertThat(s.status()).isEqualTo(OFFLINE)));
    }

    @Test
    void shouldSplitALargeWatchReplyByTheMaximumMessageSize()
    {
        final PresenceShard shard = new PresenceShard(new PresenceShardContext()
            .outboundSink(sink).maxMessageSize(PresenceConfiguration.MIN_MESSAGE_SIZE));
        final String longName = "x".repeat(1024);

        messages.watch(GATEWAY_B, List.of(longName, "alice", "bob")).to(shard);

        final List<Update> updates = sink.updates();
        assertThat(updates).extracting(Update::statuses).containsExactly(
            List.of(new StatusOf(longName, OFFLINE)),
            List.of(new StatusOf("alice", OFFLINE), new StatusOf("bob", OFFLINE)));
        assertThat(updates.get(0).length()).isEqualTo(PresenceConfiguration.MIN_MESSAGE_SIZE);
    }

    @Test
    void shouldForgetUsersWithNothingLeftToRemember()
    {
        messages.connect(GATEWAY_A, "alice").to(shard);
        watch(GATEWAY_B, "bob");
        assertThat(shard.usersTracked()).isEqualTo(2);

        messages.disconnect(GATEWAY_A, "alice").to(shard);
        messages.unwatch(GATEWAY_B, List.of("bob")).to(shard);

        assertThat(shard.usersTracked()).isZero();
    }

    @Test
    void shouldCountSendFailures()
    {
        watch(GATEWAY_B, "alice");
        watch(GATEWAY_C, "alice");
        sink.result(OutboundSink.BACK_PRESSURED);

        messages.connect(GATEWAY_A, "alice").to(shard);

        assertThat(shard.sendFailures()).isEqualTo(2);
        assertThat(shard.updatesSent()).isEqualTo(2);
    }

    @Test
    void shouldKeepUsersWhoseKeysCollideApart()
    {
        final PresenceShard shard = new PresenceShard(new PresenceShardContext()
            .outboundSink(sink).keyHasher((buffer, offset, length) -> 42L));
        messages.watch(GATEWAY_B, List.of("alice", "bob", "carol")).to(shard);
        sink.clear();

        messages.connect(GATEWAY_A, "bob").to(shard);
        messages.disconnect(GATEWAY_A, "alice").to(shard);
        messages.unwatch(GATEWAY_B, List.of("alice")).to(shard);
        messages.connect(GATEWAY_A, "carol").to(shard);
        messages.setStatus(GATEWAY_A, "carol", AWAY).to(shard);
        messages.disconnect(GATEWAY_A, "bob").to(shard);
        messages.query(GATEWAY_C, 5, List.of("alice", "bob", "carol")).to(shard);

        assertThat(sink.updates()).containsExactly(
            update(GATEWAY_B, 0, "bob", ONLINE),
            update(GATEWAY_B, 0, "carol", ONLINE),
            update(GATEWAY_B, 0, "carol", AWAY),
            update(GATEWAY_B, 0, "bob", OFFLINE),
            new Update(GATEWAY_C, 5, List.of(
                new StatusOf("alice", OFFLINE), new StatusOf("bob", OFFLINE), new StatusOf("carol", AWAY)),
                sink.updates().get(4).length()));
        assertThat(shard.ignoredDisconnects()).isEqualTo(1);
        assertThat(shard.usersTracked()).isEqualTo(2);
    }

    @Test
    void shouldCountMessagesItDoesNotHandle()
    {
        messages.subscribe(GATEWAY_A, "general").to(shard);

        assertThat(shard.unknownMessages()).isEqualTo(1);
        assertThat(sink.sent()).isEmpty();
    }

    @Test
    void shouldRejectABadContext()
    {
        assertThatThrownBy(() -> new PresenceShard(new PresenceShardContext()))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new PresenceShardContext().outboundSink(sink).maxMessageSize(100).conclude())
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new PresenceShardContext().outboundSink(sink).maxQueryUsers(0).conclude())
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldTakeDefaultsFromConfiguration()
    {
        final PresenceShardContext context = new PresenceShardContext();

        assertThat(context.maxMessageSize()).isEqualTo(60 * 1024);
        assertThat(context.maxQueryUsers()).isEqualTo(500);
        assertThat(context.userOwnership()).isSameAs(UserOwnership.ALL);
    }

    private void watch(final int nodeId, final String... users)
    {
        messages.watch(nodeId, List.of(users)).to(shard);
        sink.clear();
    }

    private static Update updateTo(final List<Update> updates, final int nodeId)
    {
        return updates.stream().filter((u) -> u.nodeId() == nodeId).findFirst().orElseThrow();
    }

    private static Update update(final int nodeId, final long correlationId, final String user, final PresenceStatus s)
    {
        // 20 bytes of message overhead, 3 per update, then the name (ASCII here, so one byte per char).
        return new Update(nodeId, correlationId, List.of(new StatusOf(user, s)), 23 + user.length());
    }

    static UserOwnership ownsOnly(final Set<String> owned)
    {
        final Set<String> copy = new HashSet<>(owned);
        return (buffer, offset, length) -> copy.contains(buffer.getStringWithoutLengthUtf8(offset, length));
    }

    static UserOwnership notOwning(final Set<String> notOwned)
    {
        final Set<String> copy = new HashSet<>(notOwned);
        return (buffer, offset, length) -> !copy.contains(buffer.getStringWithoutLengthUtf8(offset, length));
    }
}
