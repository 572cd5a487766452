package io.switchboard.transport;

/**
 * Told when peers come and go. Called on the node agent's thread.
 */
public interface PeerListener
{
    /**
     * A peer sent its first heartbeat, came back after being lost, or restarted (new incarnation).
     *
     * @param peer      its latest description.
     * @param restarted true when it was known under another incarnation: it has lost all state it had.
     */
    default void onPeerUp(final Peer peer, final boolean restarted)
    {
    }

    /**
     * A peer was silent past the timeout, or restarted (then {@link #onPeerUp} follows at once).
     *
     * @param peer its last description.
     */
    default void onPeerLost(final Peer peer)
    {
    }
}
