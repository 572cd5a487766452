package io.switchboard.gateway.core;

import io.switchboard.codecs.ChannelEventDecoder;
import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.ErrorResponseDecoder;
import io.switchboard.codecs.HistoryResponseDecoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.PresenceUpdateDecoder;
import io.switchboard.codecs.PublishAckDecoder;
import io.switchboard.codecs.ReactionBatchDecoder;
import io.switchboard.codecs.SubscribedDecoder;
import io.switchboard.codecs.TransientEventDecoder;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.Peer;
import io.switchboard.transport.PeerListener;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What hosts send to this gateway, dispatched by template to the channel subscriptions, the presence tracker and
 * the pending requests; and hosts coming and going. Decoders are created once and reused. A message that fails to
 * apply is logged and dropped, never thrown into the node agent (which would redeliver it forever).
 * <p>
 * Not thread-safe: called on the node agent's thread.
 */
public final class HostInbound implements InboundHandler, PeerListener
{
    /** Templates hosts send to gateways; register this handler for each. */
    public static final int[] TEMPLATES = {
        SubscribedDecoder.TEMPLATE_ID, PublishAckDecoder.TEMPLATE_ID, ChannelEventDecoder.TEMPLATE_ID,
        TransientEventDecoder.TEMPLATE_ID, ReactionBatchDecoder.TEMPLATE_ID, HistoryResponseDecoder.TEMPLATE_ID,
        ErrorResponseDecoder.TEMPLATE_ID, PresenceUpdateDecoder.TEMPLATE_ID };

    private static final Logger LOG = LoggerFactory.getLogger(HostInbound.class);

    private final HostLinks links;
    private final PendingRequests pending;
    private final ChannelSubscriptions channels;
    private final ChannelDelivery delivery;
    private final PresenceTracker presence;
    private final ClientFrames frames;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final SubscribedDecoder subscribed = new SubscribedDecoder();
    private final PublishAckDecoder ack = new PublishAckDecoder();
    private final ChannelEventDecoder event = new ChannelEventDecoder();
    private final TransientEventDecoder transientEvent = new TransientEventDecoder();
    private final ReactionBatchDecoder reactions = new ReactionBatchDecoder();
    private final HistoryResponseDecoder history = new HistoryResponseDecoder();
    private final ErrorResponseDecoder error = new ErrorResponseDecoder();
    private final PresenceUpdateDecoder presenceUpdate = new PresenceUpdateDecoder();
    private boolean closed;

    HostInbound(
        final HostLinks links,
        final PendingRequests pending,
        final ChannelSubscriptions channels,
        final ChannelDelivery delivery,
        final PresenceTracker presence,
        final ClientFrames frames)
    {
        this.links = links;
        this.pending = pending;
        this.channels = channels;
        this.delivery = delivery;
        this.presence = presence;
        this.frames = frames;
    }

    void close()
    {
        closed = true;
    }

    /**
     * {@inheritDoc}
     */
    public int onMessage(final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return CONSUMED;
        }
        try
        {
            header.wrap(buffer, offset);
            dispatch(templateId, buffer, offset);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("gateway dropped a message of template {} it could not apply", templateId, ex);
        }
        return CONSUMED;
    }

    private void dispatch(final int templateId, final DirectBuffer buffer, final int offset)
    {
        switch (templateId)
        {
            case ChannelEventDecoder.TEMPLATE_ID ->
                delivery.onChannelEvent(event.wrapAndApplyHeader(buffer, offset, header));
            case TransientEventDecoder.TEMPLATE_ID ->
                delivery.onTransientEvent(transientEvent.wrapAndApplyHeader(buffer, offset, header));
            case ReactionBatchDecoder.TEMPLATE_ID ->
                delivery.onReactionBatch(reactions.wrapAndApplyHeader(buffer, offset, header));
            case PresenceUpdateDecoder.TEMPLATE_ID ->
                presence.onPresenceUpdate(presenceUpdate.wrapAndApplyHeader(buffer, offset, header));
            case SubscribedDecoder.TEMPLATE_ID -> onSubscribed(buffer, offset);
            case PublishAckDecoder.TEMPLATE_ID -> onAck(buffer, offset);
            case HistoryResponseDecoder.TEMPLATE_ID -> onHistory(buffer, offset);
            case ErrorResponseDecoder.TEMPLATE_ID -> onError(buffer, offset);
            default ->
            {
            }
        }
    }

    private void onSubscribed(final DirectBuffer buffer, final int offset)
    {
        subscribed.wrapAndApplyHeader(buffer, offset, header);
        final long correlationId = subscribed.correlationId();
        final long seq = subscribed.seq();
        final long epoch = subscribed.epoch();
        channels.onSubscribed(correlationId, seq, epoch, subscribed.channel());
    }

    private void onAck(final DirectBuffer buffer, final int offset)
    {
        ack.wrapAndApplyHeader(buffer, offset, header);
        final PendingRequests.Pending request = pending.remove(ack.correlationId());
        if (null != request)
        {
            final long seq = ack.seq();
            final long epoch = ack.epoch();
            final String channel = ack.channel();
            request.origin.onAck(frames, channel, seq, epoch, ack.messageId());
        }
    }

    private void onHistory(final DirectBuffer buffer, final int offset)
    {
        history.wrapAndApplyHeader(buffer, offset, header);
        final PendingRequests.Pending request = pending.remove(history.correlationId());
        if (null != request)
        {
            request.origin.onHistory(frames, history);
        }
    }

    private void onError(final DirectBuffer buffer, final int offset)
    {
        error.wrapAndApplyHeader(buffer, offset, header);
        final long correlationId = error.correlationId();
        final String code = codeName(error.code());
        final String channel = error.channel();
        final String message = error.message();
        final PendingRequests.Pending request = pending.remove(correlationId);
        if (null == request)
        {
            presence.onQueryError(correlationId, code, message);
        }
        else if (PendingRequests.SUBSCRIBE == request.kind)
        {
            channels.onSubscribeFailed(request, code, message);
        }
        else
        {
            request.origin.onError(frames, code, message, channel.isEmpty() ? request.channel : channel);
        }
    }

    void onExpired(final PendingRequests.Pending request)
    {
        final String message = "no answer from the channel's host in time";
        if (PendingRequests.SUBSCRIBE == request.kind)
        {
            channels.onSubscribeFailed(request, "unavailable", message);
        }
        else
        {
            request.origin.onError(frames, "unavailable", message, request.channel);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onPeerUp(final Peer peer, final boolean restarted)
    {
        if (closed)
        {
            return;
        }
        final int nodeId = peer.nodeId();
        links.onUp(nodeId);
        if (links.isChannelHost(nodeId))
        {
            channels.onHostUp(nodeId);
        }
        if (links.isPresenceHost(nodeId))
        {
            presence.onHostUp(nodeId);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onPeerLost(final Peer peer)
    {
        if (closed)
        {
            return;
        }
        final int nodeId = peer.nodeId();
        links.onLost(nodeId);
        pending.failHost(nodeId, this::onExpiredOnLoss);
        if (links.isChannelHost(nodeId))
        {
            channels.onHostLost(nodeId);
        }
        if (links.isPresenceHost(nodeId))
        {
            presence.onHostLost(nodeId);
        }
    }

    private void onExpiredOnLoss(final PendingRequests.Pending request)
    {
        if (PendingRequests.SUBSCRIBE == request.kind)
        {
            return; // the channel's loss is reported once per session by onHostLost
        }
        request.origin.onError(frames, "unavailable", "the channel's host was lost", request.channel);
    }

    static String codeName(final ErrorCode code)
    {
        return switch (code)
        {
            case BAD_REQUEST -> "bad_request";
            case UNKNOWN_TYPE -> "unknown_type";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "not_found";
            case TOO_LARGE -> "too_large";
            case RATE_LIMITED -> "rate_limited";
            default -> "unavailable";
        };
    }
}
