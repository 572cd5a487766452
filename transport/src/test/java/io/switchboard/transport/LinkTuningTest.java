package io.switchboard.transport;

import io.aeron.driver.MediaDriver;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code switchboard.link.rttMs} sizes the embedded driver's loss recovery to the longest link, leaves a LAN's
 * defaults alone, and never overrides an {@code aeron.*} setting given explicitly.
 */
class LinkTuningTest
{
    @Test
    void shouldLeaveAeronDefaultsForALan()
    {
        final MediaDriver.Context driver = new MediaDriver.Context();
        final long ratio = driver.nakUnicastRetryDelayRatio();
        final long linger = driver.retransmitUnicastLingerNs();

        assertThat(EmbeddedDriver.tuneForLinks(driver, 0, new Properties())).isNull();

        assertThat(driver.nakUnicastRetryDelayRatio()).isEqualTo(ratio);
        assertThat(driver.retransmitUnicastLingerNs()).isEqualTo(linger);
    }

    @Test
    void shouldRetryNaksAndLingerForHalfTheRoundTrip()
    {
        final MediaDriver.Context driver = new MediaDriver.Context();

        final String changed = EmbeddedDriver.tuneForLinks(driver, 120, new Properties());

        assertThat(driver.nakUnicastRetryDelayRatio() * driver.nakUnicastDelayNs()).isEqualTo(60_000_000L);
        assertThat(driver.retransmitUnicastLingerNs()).isEqualTo(60_000_000L);
        assertThat(changed).contains(EmbeddedDriver.NAK_RETRY_RATIO_PROP, EmbeddedDriver.RETRANSMIT_LINGER_PROP);
    }

    @Test
    void shouldKeepAnExplicitAeronSetting()
    {
        final MediaDriver.Context driver = new MediaDriver.Context();
        final long ratio = driver.nakUnicastRetryDelayRatio();
        final Properties explicit = new Properties();
        explicit.setProperty(EmbeddedDriver.NAK_RETRY_RATIO_PROP, Long.toString(ratio));

        final String changed = EmbeddedDriver.tuneForLinks(driver, 120, explicit);

        assertThat(driver.nakUnicastRetryDelayRatio()).isEqualTo(ratio);
        assertThat(driver.retransmitUnicastLingerNs()).isEqualTo(60_000_000L);
        assertThat(changed).doesNotContain(EmbeddedDriver.NAK_RETRY_RATIO_PROP);
    }

    @Test
    void shouldRefuseARoundTripOutOfRange()
    {
        assertThatThrownBy(() -> new NodeContext().linkRttMs(-1).conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(NodeContext.LINK_RTT_MS_PROP);
        assertThatThrownBy(() -> new NodeContext().linkRttMs(10_001).conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(NodeContext.LINK_RTT_MS_PROP);
    }
}
