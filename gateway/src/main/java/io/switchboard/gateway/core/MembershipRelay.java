package io.switchboard.gateway.core;

import io.switchboard.codecs.MembershipChangeDecoder;
import io.switchboard.codecs.MembershipChangeEncoder;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.engine.OutboundSink;
import io.switchboard.gateway.GatewayMetrics;
import io.switchboard.gateway.json.Names;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.Peer;
import io.switchboard.transport.PeerDirectory;
import io.switchboard.transport.Role;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Carries a membership change made through this gateway's HTTP API to every other gateway of the cluster, and
 * applies the changes other gateways send, so a user's live sessions follow on every gateway (DESIGN.md, "HTTP
 * server API"). A received change is applied, never forwarded: only the gateway that took the API call sends, so a
 * change cannot loop.
 * <p>
 * A change travels as one or more {@code MembershipChange} messages, each within the transport's largest message.
 * The API refuses a channel named in both join and leave, so any split of the lists applies to the same result, in
 * any order. Each message is encoded once and offered to every target gateway; an offer the transport refuses
 * (after its bounded back-pressure retries) marks that gateway failed, and the caller reports it.
 * <p>
 * Not thread-safe: belongs to the gateway core's thread (the node agent's).
 */
final class MembershipRelay implements InboundHandler
{
    /** Channels one list (join or leave) may hold, in an API request and in a message. */
    static final int MAX_CHANNELS = 1000;

    /** Channel name bytes (with their length prefixes) per message at most; below the default largest message. */
    static final int MAX_CHANNEL_BYTES = 48 * 1024;

    /** Header, block, both group headers and the largest user name: what a message holds besides channels. */
    private static final int FIXED_BYTES = MessageHeaderEncoder.ENCODED_LENGTH + MembershipChangeEncoder.BLOCK_LENGTH +
        2 * 4 + 2 + Names.MAX_NAME_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(MembershipRelay.class);

    /**
     * Applies a change to this gateway's memberships and live sessions.
     */
    @FunctionalInterface
    interface Applier
    {
        /**
         * @param user  whose membership.
         * @param join  channels to allow.
         * @param leave channels to take away.
         */
        void apply(String user, List<String> join, List<String> leave);
    }

    private final int selfNodeId;
    private final PeerDirectory peers;
    private final GatewayMetrics metrics;
    private final Applier applier;
    private final int channelBytesPerMessage;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MembershipChangeEncoder encoder = new MembershipChangeEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MembershipChangeDecoder decoder = new MembershipChangeDecoder();

    /**
     * @param selfNodeId       this node.
     * @param maxMessageLength the largest message the node's publications take.
     * @param peers            the node's peers, through which messages go out.
     * @param metrics          where outcomes are counted.
     * @param applier          applies received changes locally.
     */
    MembershipRelay(
        final int selfNodeId,
        final int maxMessageLength,
        final PeerDirectory peers,
        final GatewayMetrics metrics,
        final Applier applier)
    {
        this.selfNodeId = selfNodeId;
        this.peers = peers;
        this.metrics = metrics;
        this.applier = applier;
        // At the smallest term (64 KiB) the largest message is 8 KiB: still room for several longest names.
        this.channelBytesPerMessage = Math.min(MAX_CHANNEL_BYTES, maxMessageLength - FIXED_BYTES);
        if (channelBytesPerMessage < 2 + Names.MAX_NAME_BYTES)
        {
            throw new IllegalStateException(
                "messages of " + maxMessageLength + " bytes cannot carry a membership change");
        }
    }

    /**
     * Send a change to every other gateway this node knows to be part of the cluster: alive (its heartbeats arrive),
     * or registered in ZooKeeper, or configured. A gateway that is registered or configured but silent is tried too,
     * and shows up as failed when its stream does not take the change.
     *
     * @param user  whose membership.
     * @param join  channels to allow, disjoint from leave, at most {@link #MAX_CHANNELS}.
     * @param leave channels to take away, at most {@link #MAX_CHANNELS}.
     * @return the gateways that took every message, and the ones that did not with why.
     */
    MembershipOutcome.Relayed relay(final String user, final List<String> join, final List<String> leave)
    {
        final List<Integer> targets = new ArrayList<>();
        for (final Peer peer : peers.peers())
        {
            if (peer.nodeId() != selfNodeId && peer.roles().contains(Role.GATEWAY) &&
                (peer.alive() || peer.member() || peer.configured()))
            {
                targets.add(peer.nodeId());
            }
        }

        final Map<Integer, String> failed = new TreeMap<>();
        if (targets.isEmpty())
        {
            return new MembershipOutcome.Relayed(0, failed);
        }
        int joinFrom = 0;
        int leaveFrom = 0;
        do
        {
            final int joinTo = fit(join, joinFrom, channelBytesPerMessage);
            final int leaveTo = fit(leave, leaveFrom, channelBytesPerMessage - bytes(join, joinFrom, joinTo));
            final int length = encode(user, join, joinFrom, joinTo, leave, leaveFrom, leaveTo);
            for (final Integer target : targets)
            {
                if (!failed.containsKey(target))
                {
                    final int result = peers.send(target, buffer, 0, length);
                    if (OutboundSink.SENT != result)
                    {
                        failed.put(target, HostSender.describe(result));
                    }
                }
            }
            joinFrom = joinTo;
            leaveFrom = leaveTo;
        }
        while (joinFrom < join.size() || leaveFrom < leave.size());

        final int gateways = targets.size() - failed.size();
        metrics.membershipRelayed(gateways, failed.size());
        if (!failed.isEmpty())
        {
            LOG.warn("membership change of {} did not reach gateway(s) {}", user, failed);
        }
        return new MembershipOutcome.Relayed(gateways, failed);
    }

    /**
     * A change another gateway took through its API: apply it here, never forward it.
     * <p>
     * {@inheritDoc}
     */
    public int onMessage(final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            headerDecoder.wrap(buffer, offset);
            decoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            final int origin = decoder.nodeId();
            final MembershipChangeDecoder.JoinDecoder joinGroup = decoder.join();
            final List<String> join =
                channels(joinGroup.count(), joinGroup, MembershipChangeDecoder.JoinDecoder::channel);
            final MembershipChangeDecoder.LeaveDecoder leaveGroup = decoder.leave();
            final List<String> leave =
                channels(leaveGroup.count(), leaveGroup, MembershipChangeDecoder.LeaveDecoder::channel);
            final String user = decoder.user();
            if (origin == selfNodeId || null == join || null == leave || !Names.isValid(user))
            {
                // The validator bounded every length; what it cannot know is the API's rules, which a peer must keep.
                metrics.membershipRejected();
                LOG.warn("gateway refused a membership change from node {}: beyond the API's limits", origin);
                return CONSUMED;
            }
            applier.apply(user, join, leave);
            metrics.membershipReceived();
        }
        catch (final RuntimeException ex)
        {
            metrics.membershipRejected();
            LOG.error("gateway dropped a membership change it could not apply", ex);
        }
        return CONSUMED;
    }

    /**
     * @return the group's channels, or null when it holds more than {@link #MAX_CHANNELS} or an invalid name.
     */
    private static <G extends Iterable<G>> List<String> channels(
        final int count, final G group, final Function<G, String> channel)
    {
        final List<String> names = new ArrayList<>(Math.min(count, MAX_CHANNELS));
        boolean valid = count <= MAX_CHANNELS;
        for (final G entry : group)
        {
            // Every entry is read even after an invalid one: the decoder must walk the group to reach what follows.
            final String name = channel.apply(entry);
            valid &= Names.isValid(name);
            names.add(name);
        }
        return valid ? names : null;
    }

    private int encode(
        final String user,
        final List<String> join,
        final int joinFrom,
        final int joinTo,
        final List<String> leave,
        final int leaveFrom,
        final int leaveTo)
    {
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).nodeId(selfNodeId);
        final MembershipChangeEncoder.JoinEncoder joinGroup = encoder.joinCount(joinTo - joinFrom);
        for (int i = joinFrom; i < joinTo; i++)
        {
            joinGroup.next().channel(join.get(i));
        }
        final MembershipChangeEncoder.LeaveEncoder leaveGroup = encoder.leaveCount(leaveTo - leaveFrom);
        for (int i = leaveFrom; i < leaveTo; i++)
        {
            leaveGroup.next().channel(leave.get(i));
        }
        encoder.user(user);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the end of the longest run of names from {@code from} whose encoded bytes fit the budget.
     */
    private static int fit(final List<String> names, final int from, final int budget)
    {
        int used = 0;
        int to = from;
        while (to < names.size())
        {
            final int length = encodedLength(names.get(to));
            if (used + length > budget)
            {
                break;
            }
            used += length;
            to++;
        }
        return to;
    }

    private static int bytes(final List<String> names, final int from, final int to)
    {
        int bytes = 0;
        for (int i = from; i < to; i++)
        {
            bytes += encodedLength(names.get(i));
        }
        return bytes;
    }

    private static int encodedLength(final String name)
    {
        return 2 + name.getBytes(StandardCharsets.UTF_8).length;
    }
}
