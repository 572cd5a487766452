package io.switchboard.engine;

import org.agrona.DirectBuffer;

/**
 * Where a shard's output goes: SBE-encoded messages addressed to a node (a gateway, or an integrator acting as
 * one). The engine encodes a message once and hands the same bytes to {@link #send} for each addressee; the
 * transport maps node ids to Aeron publications. Tests record what is sent.
 * <p>
 * Called only from the owning shard's thread. Implementations must not retain {@code buffer} after returning:
 * the shard reuses it for the next message.
 */
@FunctionalInterface
public interface OutboundSink
{
    /**
     * The message was handed to the transport.
     */
    int SENT = 0;

    /**
     * The addressee is not connected or not known: nothing was sent.
     */
    int NOT_CONNECTED = -1;

    /**
     * The transport stayed back-pressured past its retry bound: nothing was sent.
     */
    int BACK_PRESSURED = -2;

    /**
     * The message is larger than the transport can carry: nothing was sent.
     */
    int TOO_LARGE = -3;

    /**
     * Send one encoded message to one node.
     *
     * @param nodeId addressee.
     * @param buffer holding the encoded message, starting with the SBE message header.
     * @param offset of the message header in buffer.
     * @param length of header plus body.
     * @return {@link #SENT} or one of the negative codes above; the shard counts failures, it never blocks.
     */
    int send(int nodeId, DirectBuffer buffer, int offset, int length);
}
