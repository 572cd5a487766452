package io.switchboard.gateway.http;

import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP API may ask of the gateway as a whole.
 * <p>
 * Implementations are thread-safe.
 */
public interface GatewayControl
{
    /**
     * Drain: tell every session to move, then close what is left after the grace period.
     *
     * @param reason      for clients.
     * @param url         where sessions should reconnect, or null for the configured one.
     * @param reconnectMs upper bound of each session's reconnect delay, or -1 for the configured one.
     * @param graceMs     grace period, or -1 for the configured one.
     * @return the number of sessions told, once they were.
     */
    CompletableFuture<DrainResult> drain(String reason, String url, long reconnectMs, long graceMs);

    /**
     * @return true once draining began.
     */
    boolean isDraining();

    /**
     * @return this gateway's name.
     */
    String name();

    /**
     * What a drain did.
     *
     * @param sessions    sessions told.
     * @param url         where they were sent.
     * @param reconnectMs upper bound of the reconnect delays.
     * @param graceMs     grace period.
     */
    record DrainResult(int sessions, String url, long reconnectMs, long graceMs)
    {
    }
}
