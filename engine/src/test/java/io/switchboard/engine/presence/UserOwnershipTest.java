package io.switchboard.engine.presence;

import io.switchboard.engine.partition.Partitioner;
import io.switchboard.engine.partition.ShardMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

class UserOwnershipTest
{
    @Test
    void shouldGiveEveryUserToExactlyOneShard()
    {
        final Partitioner partitioner = new Partitioner();
        final ShardMap shardMap = new ShardMap(3);
        final UserOwnership[] shards = new UserOwnership[3];
        for (int i = 0; i < shards.length; i++)
        {
            shards[i] = UserOwnership.ofShard(partitioner, shardMap, i);
        }

        qt().forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 40)).checkAssert((name) ->
        {
            final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            int owners = 0;
            for (final UserOwnership shard : shards)
            {
                owners += shard.owns(buffer, 0, bytes.length) ? 1 : 0;
            }

            assertThat(owners).isEqualTo(1);
            assertThat(shards[shardMap.shardOf(partitioner.partitionOf(buffer, 0, bytes.length))]
                .owns(buffer, 0, bytes.length)).isTrue();
        });
    }

    @Test
    void shouldOwnEverythingByDefault()
    {
        assertThat(UserOwnership.ALL.owns(new UnsafeBuffer(new byte[1]), 0, 1)).isTrue();
    }

    @Test
    void shouldRejectAShardOutsideTheMap()
    {
        assertThatThrownBy(() -> UserOwnership.ofShard(new Partitioner(), new ShardMap(2), 2))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
