package io.switchboard.gateway.core;

import io.switchboard.gateway.GatewayMetrics;

/**
 * Sends {@code error} frames to sessions and counts them by code.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread (it uses the core's frame encoder).
 */
final class Errors
{
    private final ClientFrames frames;
    private final GatewayMetrics metrics;

    Errors(final ClientFrames frames, final GatewayMetrics metrics)
    {
        this.frames = frames;
        this.metrics = metrics;
    }

    void send(final GatewaySession session, final String code, final String message, final String refJson,
        final String channel)
    {
        if (session.closed)
        {
            return;
        }
        metrics.error(code);
        session.send(frames.error(code, message, refJson, channel));
    }
}
