package io.switchboard.transport.client;

/**
 * A request waiting for its host's answer; failed with {@code UNAVAILABLE} when its deadline passes or its host is
 * lost, so no request waits for ever.
 * <p>
 * Not thread-safe: belongs to the client's thread.
 */
final class PendingRequest
{
    final String channel;
    final int host;
    final long deadlineNs;

    PendingRequest(final String channel, final int host, final long timeoutNs)
    {
        this.channel = channel;
        this.host = host;
        this.deadlineNs = System.nanoTime() + timeoutNs;
    }
}
