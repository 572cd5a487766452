package io.switchboard.gateway.session;

/**
 * Per-session token bucket: frames refill at a steady rate up to a burst. A frame without a token is refused
 * (rate_limited); a session that keeps sending while refused — the configured number of refusals within one flood
 * window — is flooding and gets closed.
 * <p>
 * Not thread-safe: belongs to the session's event loop.
 */
final class RateLimiter
{
    static final int ALLOWED = 0;
    static final int LIMITED = 1;
    static final int FLOODING = 2;

    private final double tokensPerNs;
    private final double burst;
    private final int floodRejections;
    private final long floodWindowNs;
    private double tokens;
    private long lastNs;
    private long windowStartNs;
    private int rejections;

    RateLimiter(
        final int perSecond, final int burst, final int floodRejections, final long floodWindowNs, final long nowNs)
    {
        this.tokensPerNs = perSecond / 1e9;
        this.burst = burst;
        this.floodRejections = floodRejections;
        this.floodWindowNs = floodWindowNs;
        this.tokens = burst;
        this.lastNs = nowNs;
        this.windowStartNs = nowNs;
    }

    /**
     * @param nowNs {@link System#nanoTime()}.
     * @return {@link #ALLOWED}, {@link #LIMITED} or {@link #FLOODING}.
     */
    int onFrame(final long nowNs)
    {
        tokens = Math.min(burst, tokens + (nowNs - lastNs) * tokensPerNs);
        lastNs = nowNs;
        if (tokens >= 1.0)
        {
            tokens -= 1.0;
            return ALLOWED;
        }
        if (nowNs - windowStartNs > floodWindowNs)
        {
            windowStartNs = nowNs;
            rejections = 0;
        }
        return ++rejections >= floodRejections ? FLOODING : LIMITED;
    }
}
