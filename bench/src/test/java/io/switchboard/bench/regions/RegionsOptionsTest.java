package io.switchboard.bench.regions;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The regions scenario's options: the link round trip every node is tuned for follows the regions unless given.
 */
class RegionsOptionsTest
{
    @Test
    void shouldTuneForTheLongestRoundTripOfTheRegionsUnlessGiven()
    {
        assertThat(RegionsOptions.parse(new String[0]).linkRttMs()).isEqualTo(120);
        assertThat(RegionsOptions.parse(new String[]{ "--regions", "eu:40,apac:150" }).linkRttMs()).isEqualTo(300);
        assertThat(RegionsOptions.parse(new String[]{ "--link-rtt-ms", "0" }).linkRttMs()).isZero();
        assertThat(RegionsOptions.parse(new String[]{ "--link-rtt-ms", "90" }).linkRttMs()).isEqualTo(90);
    }

    @Test
    void shouldNameAnUnknownOptionOrAMissingValue()
    {
        assertThatThrownBy(() -> RegionsOptions.parse(new String[]{ "--link-rtt" , "5" }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--link-rtt");
        assertThatThrownBy(() -> RegionsOptions.parse(new String[]{ "--link-rtt-ms" }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    }
}
