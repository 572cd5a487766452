package io.switchboard.gateway.core;

import io.switchboard.engine.OutboundSink;

/**
 * Requests about one channel sent to its host on behalf of a session or the HTTP API: publish, transient events,
 * reactions and history. Each finds the channel's host, tells the origin at once when it has none or the host is
 * unavailable, and turns a refused send into an error for the origin, so no request is dropped silently. The
 * caller has already checked that the origin may use the channel.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread.
 */
final class ChannelRequests
{
    private final int nodeId;
    private final HostLinks links;
    private final HostSender sender;
    private final PendingRequests pending;
    private final ClientFrames frames;
    private final HistoryThrottle historyThrottle;
    private long apiMessages;

    ChannelRequests(
        final int nodeId,
        final HostLinks links,
        final HostSender sender,
        final PendingRequests pending,
        final ClientFrames frames,
        final HistoryThrottle historyThrottle)
    {
        this.nodeId = nodeId;
        this.links = links;
        this.sender = sender;
        this.pending = pending;
        this.frames = frames;
        this.historyThrottle = historyThrottle;
    }

    /**
     * @param origin    where the ack or error goes.
     * @param channel   where.
     * @param user      publisher.
     * @param messageId id, or null to assign one.
     * @param data      JSON payload.
     */
    void publish(
        final RequestOrigin origin, final String channel, final String user, final String messageId, final byte[] data)
    {
        final String id = null != messageId ? messageId : "api-" + nodeId + "-" + (++apiMessages);
        final int host = availableHost(origin, channel);
        if (HostLinks.NO_HOST == host)
        {
            return;
        }
        final PendingRequests.Pending request = pending.add(PendingRequests.PUBLISH, host, channel, origin, null);
        failIfRefused(request, sender.publish(host, request.correlationId, EpochClock.nanos(), channel, user, id, data));
    }

    /**
     * @param origin    where an error goes.
     * @param sessionId the sending session, so its own gateway does not echo the event to it.
     * @param channel   where.
     * @param user      sender.
     * @param event     event name.
     * @param data      JSON payload.
     * @param ttlMs     time to live.
     */
    void sendTransient(
        final RequestOrigin origin, final long sessionId, final String channel, final String user, final String event,
        final byte[] data, final int ttlMs)
    {
        final int host = availableHost(origin, channel);
        if (HostLinks.NO_HOST != host)
        {
            // Transient: never stored, so a refused send is simply not seen (its TTL would soon end it anyway).
            sender.sendTransient(host, sessionId, EpochClock.nanos(), ttlMs, channel, user, event, data);
        }
    }

    /**
     * @param origin  where an error goes.
     * @param channel where.
     * @param target  what (a message id).
     * @param user    reacting.
     * @param emoji   which.
     */
    void react(
        final RequestOrigin origin, final String channel, final String target, final String user, final String emoji)
    {
        final int host = availableHost(origin, channel);
        if (HostLinks.NO_HOST != host)
        {
            // A reaction is counted into the channel's batches: one the host refused is told to its sender.
            final int result = sender.react(host, EpochClock.nanos(), channel, target, user, emoji);
            if (OutboundSink.SENT != result)
            {
                origin.onError(frames, "unavailable",
                    "the channel's host did not take the reaction (" + HostSender.describe(result) + ")",
                    channel);
            }
        }
    }

    /**
     * @param origin  where the answer goes.
     * @param channel which.
     * @param since   last seq already seen.
     * @param epoch   epoch since belongs to, 0 when unknown.
     * @param limit   most messages.
     */
    void history(final RequestOrigin origin, final String channel, final long since, final long epoch, final int limit)
    {
        historyThrottle.submit(origin, frames, slot -> sendHistory(slot, channel, since, epoch, limit));
    }

    private void sendHistory(
        final RequestOrigin origin, final String channel, final long since, final long epoch, final int limit)
    {
        final int host = availableHost(origin, channel);
        if (HostLinks.NO_HOST == host)
        {
            return;
        }
        final PendingRequests.Pending request = pending.add(PendingRequests.HISTORY, host, channel, origin, null);
        failIfRefused(request, sender.history(host, request.correlationId, since, epoch, limit, channel));
    }

    private int availableHost(final RequestOrigin origin, final String channel)
    {
        final int host = links.channelHostOf(channel);
        if (HostLinks.NO_HOST == host)
        {
            origin.onError(frames, "unavailable", "no channel host is configured", channel);
            return HostLinks.NO_HOST;
        }
        if (!links.isAvailable(host))
        {
            origin.onError(frames, "unavailable", "the channel's host is unavailable", channel);
            return HostLinks.NO_HOST;
        }
        return host;
    }

    private void failIfRefused(final PendingRequests.Pending request, final int result)
    {
        if (OutboundSink.SENT != result)
        {
            pending.remove(request.correlationId);
            request.origin.onError(frames, OutboundSink.TOO_LARGE == result ? "too_large" : "unavailable",
                "the channel's host did not take the request (" + HostSender.describe(result) + ")",
                request.channel);
        }
    }
}
