package io.switchboard.transport.client;

/**
 * What the client knows of one subscribed channel: its host, and the epoch and last seq it has seen, from which a
 * gap is noticed and history asked for.
 * <p>
 * Not thread-safe: belongs to the client's thread.
 */
final class ChannelState
{
    final int host;
    long epoch;
    long lastSeq;

    ChannelState(final int host)
    {
        this.host = host;
    }
}
