package io.switchboard.transport;

import org.agrona.DirectBuffer;

/**
 * Takes validated inbound messages of the templates a role serves. Called on the node agent's thread.
 */
@FunctionalInterface
public interface InboundHandler
{
    /**
     * The message was taken (or deliberately dropped and counted).
     */
    int CONSUMED = 0;

    /**
     * The role cannot take it now (a full shard ring): the node stops polling and Aeron redelivers it later, which
     * holds back the sender instead of losing the message.
     */
    int HOLD = 1;

    /**
     * @param templateId of the message.
     * @param buffer     holding it.
     * @param offset     of its header.
     * @param length     of header and body.
     * @return {@link #CONSUMED} or {@link #HOLD}.
     */
    int onMessage(int templateId, DirectBuffer buffer, int offset, int length);
}
