package io.switchboard.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAllowABurstThenTheSteadyRate()
    {
        final RateLimiter limiter = new RateLimiter(10, 5, 100, SECOND, 0);
        for (int i = 0; i < 5; i++)
        {
            assertThat(limiter.onFrame(0)).isEqualTo(RateLimiter.ALLOWED);
        }
        assertThat(limiter.onFrame(0)).isEqualTo(RateLimiter.LIMITED);
        assertThat(limiter.onFrame(SECOND / 10)).isEqualTo(RateLimiter.ALLOWED);
        assertThat(limiter.onFrame(SECOND / 10)).isEqualTo(RateLimiter.LIMITED);
        assertThat(limiter.onFrame(100 * SECOND)).isEqualTo(RateLimiter.ALLOWED);
    }

    @Test
    void shouldCallItFloodingWhenRefusalsPersistWithinTheWindow()
    {
        final RateLimiter limiter = new RateLimiter(1, 1, 3, SECOND, 0);
        assertThat(limiter.onFrame(0)).isEqualTo(RateLimiter.ALLOWED);
        assertThat(limiter.onFrame(1)).isEqualTo(RateLimiter.LIMITED);
        assertThat(limiter.onFrame(2)).isEqualTo(RateLimiter.LIMITED);
        assertThat(limiter.onFrame(3)).isEqualTo(RateLimiter.FLOODING);
    }

    @Test
    void shouldForgiveRefusalsOfAnEarlierWindow()
    {
        final RateLimiter limiter = new RateLimiter(1, 1, 3, SECOND, 0);
        limiter.onFrame(0);
        assertThat(limiter.onFrame(1)).isEqualTo(RateLimiter.LIMITED);
        assertThat(limiter.onFrame(2)).isEqualTo(RateLimiter.LIMITED);
        assertThat(limiter.onFrame(2 * SECOND)).isEqualTo(RateLimiter.ALLOWED);
        assertThat(limiter.onFrame(2 * SECOND + 1)).isEqualTo(RateLimiter.LIMITED);
        assertThat(limiter.onFrame(2 * SECOND + 2)).isEqualTo(RateLimiter.LIMITED);
    }
}
