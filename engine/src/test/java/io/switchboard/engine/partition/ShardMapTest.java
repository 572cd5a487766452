package io.switchboard.engine.partition;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardMapTest
{
    @Test
    void shouldMapPartitionsRoundRobin()
    {
        final ShardMap shardMap = new ShardMap(4);

        assertThat(shardMap.shardCount()).isEqualTo(4);
        assertThat(shardMap.shardOf(0)).isEqualTo(0);
        assertThat(shardMap.shardOf(5)).isEqualTo(1);
        assertThat(shardMap.shardOf(4095)).isEqualTo(3);
    }

    @Test
    void shouldSendEverythingToTheOnlyShard()
    {
        assertThat(new ShardMap(1).shardOf(1234)).isEqualTo(0);
    }

    @Test
    void shouldRejectNonPositiveShardCount()
    {
        assertThatThrownBy(() -> new ShardMap(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
