package io.switchboard.codecs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Every message of the schema encoded and decoded with the generated flyweights, to and from the field maps of
 * {@link SampleMessages}. Decoding reads every field, every group entry and every var-data, so it is also the
 * "would the decoder survive this" oracle of the validator's property test.
 * <p>
 * Not thread-safe: one instance per test, encoders and decoders reused as in production.
 */
final class TypedCodecs
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final NodeHeartbeatEncoder nodeHeartbeatEncoder = new NodeHeartbeatEncoder();
    private final NodeHeartbeatDecoder nodeHeartbeatDecoder = new NodeHeartbeatDecoder();
    private final NodeLostEncoder nodeLostEncoder = new NodeLostEncoder();
    private final NodeLostDecoder nodeLostDecoder = new NodeLostDecoder();
    private final SubscribeEncoder subscribeEncoder = new SubscribeEncoder();
    private final SubscribeDecoder subscribeDecoder = new SubscribeDecoder();
    private final UnsubscribeEncoder unsubscribeEncoder = new UnsubscribeEncoder();
    private final UnsubscribeDecoder unsubscribeDecoder = new UnsubscribeDecoder();
    private final PublishEncoder publishEncoder = new PublishEncoder();
    private final PublishDecoder publishDecoder = new PublishDecoder();
    private final TransientEncoder transientEncoder = new TransientEncoder();
    private final TransientDecoder transientDecoder = new TransientDecoder();
    private final TransientEventEncoder transientEventEncoder = new TransientEventEncoder();
    private final TransientEventDecoder transientEventDecoder = new TransientEventDecoder();
    private final ReactEncoder reactEncoder = new ReactEncoder();
    private final ReactDecoder reactDecoder = new ReactDecoder();
    private final HistoryRequestEncoder historyRequestEncoder = new HistoryRequestEncoder();
    private final HistoryRequestDecoder historyRequestDecoder = new HistoryRequestDecoder();
    private final SubscribedEncoder subscribedEncoder = new SubscribedEncoder();
    private final SubscribedDecoder subscribedDecoder = new SubscribedDecoder();
    private final PublishAckEncoder publishAckEncoder = new PublishAckEncoder();
    private final PublishAckDecoder publishAckDecoder = new PublishAckDecoder();
    private final ChannelEventEncoder channelEventEncoder = new ChannelEventEncoder();
    private final ChannelEventDecoder channelEventDecoder = new ChannelEventDecoder();
    private final ReactionBatchEncoder reactionBatchEncoder = new ReactionBatchEncoder();
    private final ReactionBatchDecoder reactionBatchDecoder = new ReactionBatchDecoder();
    private final HistoryResponseEncoder historyResponseEncoder = new HistoryResponseEncoder();
    private final HistoryResponseDecoder historyResponseDecoder = new HistoryResponseDecoder();
    private final ErrorResponseEncoder errorResponseEncoder = new ErrorResponseEncoder();
    private final ErrorResponseDecoder errorResponseDecoder = new ErrorResponseDecoder();
    private final PresenceConnectEncoder presenceConnectEncoder = new PresenceConnectEncoder();
    private final PresenceConnectDecoder presenceConnectDecoder = new PresenceConnectDecoder();
    private final PresenceDisconnectEncoder presenceDisconnectEncoder = new PresenceDisconnectEncoder();
    private final PresenceDisconnectDecoder presenceDisconnectDecoder = new PresenceDisconnectDecoder();
    private final PresenceWatchEncoder presenceWatchEncoder = new PresenceWatchEncoder();
    private final PresenceWatchDecoder presenceWatchDecoder = new PresenceWatchDecoder();
    private final PresenceUnwatchEncoder presenceUnwatchEncoder = new PresenceUnwatchEncoder();
    private final PresenceUnwatchDecoder presenceUnwatchDecoder = new PresenceUnwatchDecoder();
    private final PresenceSetStatusEncoder presenceSetStatusEncoder = new PresenceSetStatusEncoder();
    private final PresenceSetStatusDecoder presenceSetStatusDecoder = new PresenceSetStatusDecoder();
    private final PresenceQueryEncoder presenceQueryEncoder = new PresenceQueryEncoder();
    private final PresenceQueryDecoder presenceQueryDecoder = new PresenceQueryDecoder();
    private final PresenceUpdateEncoder presenceUpdateEncoder = new PresenceUpdateEncoder();
    private final PresenceUpdateDecoder presenceUpdateDecoder = new PresenceUpdateDecoder();
    private final DrainEncoder drainEncoder = new DrainEncoder();
    private final DrainDecoder drainDecoder = new DrainDecoder();
    private final MembershipChangeEncoder membershipChangeEncoder = new MembershipChangeEncoder();
    private final MembershipChangeDecoder membershipChangeDecoder = new MembershipChangeDecoder();
    private int decodedLength;

    /**
     * Encode a message with wrapAndApplyHeader.
     *
     * @return the length of header and body.
     */
    int encode(final int templateId, final Map<String, Object> m, final MutableDirectBuffer buffer, final int offset)
    {
        final int bodyLength;
        switch (templateId)
        {
            case NodeHeartbeatEncoder.TEMPLATE_ID:
            {
                final NodeHeartbeatEncoder e = nodeHeartbeatEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId"));
                final Set<String> roles = strings(m, "roles");
                e.roles().clear()
                    .gateway(roles.contains("gateway"))
                    .channel(roles.contains("channel"))
                    .presence(roles.contains("presence"))
                    .api(roles.contains("api"));
                e.incarnation(int64(m, "incarnation")).timestampNs(int64(m, "timestampNs"))
                    .nodeName(text(m, "nodeName")).region(text(m, "region")).endpoint(text(m, "endpoint"));
                bodyLength = e.encodedLength();
                break;
            }

            case NodeLostEncoder.TEMPLATE_ID:
                bodyLength = nodeLostEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).timestampNs(int64(m, "timestampNs")).encodedLength();
                break;

            case SubscribeEncoder.TEMPLATE_ID:
                bodyLength = subscribeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).correlationId(int64(m, "correlationId"))
                    .channel(text(m, "channel")).encodedLength();
                break;

            case UnsubscribeEncoder.TEMPLATE_ID:
                bodyLength = unsubscribeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).correlationId(int64(m, "correlationId"))
                    .channel(text(m, "channel")).encodedLength();
                break;

            case PublishEncoder.TEMPLATE_ID:
            {
                final Blob payload = blob(m, "payload");
                bodyLength = publishEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).correlationId(int64(m, "correlationId"))
                    .timestampNs(int64(m, "timestampNs"))
                    .channel(text(m, "channel")).user(text(m, "user")).messageId(text(m, "messageId"))
                    .putPayload(payload.bytes(), 0, payload.length()).encodedLength();
                break;
            }

            case TransientEncoder.TEMPLATE_ID:
            {
                final Blob payload = blob(m, "payload");
                bodyLength = transientEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).sessionId(int64(m, "sessionId"))
                    .timestampNs(int64(m, "timestampNs")).ttlMs(int32(m, "ttlMs"))
                    .channel(text(m, "channel")).user(text(m, "user")).eventName(text(m, "eventName"))
                    .putPayload(payload.bytes(), 0, payload.length()).encodedLength();
                break;
            }

            case TransientEventEncoder.TEMPLATE_ID:
            {
                final Blob payload = blob(m, "payload");
                bodyLength = transientEventEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).sessionId(int64(m, "sessionId"))
                    .timestampNs(int64(m, "timestampNs")).ttlMs(int32(m, "ttlMs"))
                    .channel(text(m, "channel")).user(text(m, "user")).eventName(text(m, "eventName"))
                    .putPayload(payload.bytes(), 0, payload.length()).encodedLength();
                break;
            }

            case ReactEncoder.TEMPLATE_ID:
                bodyLength = reactEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).timestampNs(int64(m, "timestampNs"))
                    .channel(text(m, "channel")).target(text(m, "target")).user(text(m, "user"))
                    .emoji(text(m, "emoji")).encodedLength();
                break;

            case HistoryRequestEncoder.TEMPLATE_ID:
                bodyLength = historyRequestEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).correlationId(int64(m, "correlationId"))
                    .since(int64(m, "since")).epoch(int64(m, "epoch")).maxMessages(int32(m, "maxMessages"))
                    .channel(text(m, "channel")).encodedLength();
                break;

            case SubscribedEncoder.TEMPLATE_ID:
                bodyLength = subscribedEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .correlationId(int64(m, "correlationId")).seq(int64(m, "seq")).epoch(int64(m, "epoch"))
                    .channel(text(m, "channel")).encodedLength();
                break;

            case PublishAckEncoder.TEMPLATE_ID:
                bodyLength = publishAckEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .correlationId(int64(m, "correlationId")).seq(int64(m, "seq")).epoch(int64(m, "epoch"))
                    .channel(text(m, "channel")).messageId(text(m, "messageId")).encodedLength();
                break;

            case ChannelEventEncoder.TEMPLATE_ID:
            {
                final Blob payload = blob(m, "payload");
                bodyLength = channelEventEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .seq(int64(m, "seq")).epoch(int64(m, "epoch")).timestampNs(int64(m, "timestampNs"))
                    .channel(text(m, "channel")).user(text(m, "user")).messageId(text(m, "messageId"))
                    .putPayload(payload.bytes(), 0, payload.length()).encodedLength();
                break;
            }

            case ReactionBatchEncoder.TEMPLATE_ID:
            {
                final ReactionBatchEncoder e = reactionBatchEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .windowStartNs(int64(m, "windowStartNs")).windowEndNs(int64(m, "windowEndNs"));
                final List<Map<String, Object>> counts = entries(m, "counts");
                final ReactionBatchEncoder.CountsEncoder group = e.countsCount(counts.size());
                for (final Map<String, Object> entry : counts)
                {
                    group.next().reactions(int64(entry, "reactions")).emoji(text(entry, "emoji"));
                }
                bodyLength = e.channel(text(m, "channel")).target(text(m, "target")).encodedLength();
                break;
            }

            case HistoryResponseEncoder.TEMPLATE_ID:
            {
                final HistoryResponseEncoder e = historyResponseEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .correlationId(int64(m, "correlationId")).epoch(int64(m, "epoch")).lastSeq(int64(m, "lastSeq"))
                    .complete(BooleanType.valueOf(text(m, "complete")));
                final List<Map<String, Object>> messages = entries(m, "messages");
                final HistoryResponseEncoder.MessagesEncoder group = e.messagesCount(messages.size());
                for (final Map<String, Object> entry : messages)
                {
                    final Blob payload = blob(entry, "payload");
                    group.next().seq(int64(entry, "seq")).timestampNs(int64(entry, "timestampNs"))
                        .user(text(entry, "user")).messageId(text(entry, "messageId"))
                        .putPayload(payload.bytes(), 0, payload.length());
                }
                bodyLength = e.channel(text(m, "channel")).encodedLength();
                break;
            }

            case ErrorResponseEncoder.TEMPLATE_ID:
                bodyLength = errorResponseEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .correlationId(int64(m, "correlationId")).code(ErrorCode.valueOf(text(m, "code")))
                    .channel(text(m, "channel")).message(text(m, "message")).encodedLength();
                break;

            case PresenceConnectEncoder.TEMPLATE_ID:
                bodyLength = presenceConnectEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).user(text(m, "user")).encodedLength();
                break;

            case PresenceDisconnectEncoder.TEMPLATE_ID:
                bodyLength = presenceDisconnectEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).user(text(m, "user")).encodedLength();
                break;

            case PresenceWatchEncoder.TEMPLATE_ID:
            {
                final PresenceWatchEncoder e = presenceWatchEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId"));
                final List<Map<String, Object>> users = entries(m, "users");
                final PresenceWatchEncoder.UsersEncoder group = e.usersCount(users.size());
                for (final Map<String, Object> entry : users)
                {
                    group.next().user(text(entry, "user"));
                }
                bodyLength = e.encodedLength();
                break;
            }

            case PresenceUnwatchEncoder.TEMPLATE_ID:
            {
                final PresenceUnwatchEncoder e = presenceUnwatchEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId"));
                final List<Map<String, Object>> users = entries(m, "users");
                final PresenceUnwatchEncoder.UsersEncoder group = e.usersCount(users.size());
                for (final Map<String, Object> entry : users)
                {
                    group.next().user(text(entry, "user"));
                }
                bodyLength = e.encodedLength();
                break;
            }

            case PresenceSetStatusEncoder.TEMPLATE_ID:
                bodyLength = presenceSetStatusEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).status(PresenceStatus.valueOf(text(m, "status")))
                    .user(text(m, "user")).encodedLength();
                break;

            case PresenceQueryEncoder.TEMPLATE_ID:
            {
                final PresenceQueryEncoder e = presenceQueryEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).correlationId(int64(m, "correlationId"));
                final List<Map<String, Object>> users = entries(m, "users");
                final PresenceQueryEncoder.UsersEncoder group = e.usersCount(users.size());
                for (final Map<String, Object> entry : users)
                {
                    group.next().user(text(entry, "user"));
                }
                bodyLength = e.encodedLength();
                break;
            }

            case PresenceUpdateEncoder.TEMPLATE_ID:
            {
                final PresenceUpdateEncoder e = presenceUpdateEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .correlationId(int64(m, "correlationId"));
                final List<Map<String, Object>> updates = entries(m, "updates");
                final PresenceUpdateEncoder.UpdatesEncoder group = e.updatesCount(updates.size());
                for (final Map<String, Object> entry : updates)
                {
                    group.next().status(PresenceStatus.valueOf(text(entry, "status"))).user(text(entry, "user"));
                }
                bodyLength = e.encodedLength();
                break;
            }

            case DrainEncoder.TEMPLATE_ID:
                bodyLength = drainEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId")).reconnectInMs(int32(m, "reconnectInMs")).graceMs(int32(m, "graceMs"))
                    .reason(text(m, "reason")).url(text(m, "url")).encodedLength();
                break;

            case MembershipChangeEncoder.TEMPLATE_ID:
            {
                final MembershipChangeEncoder e = membershipChangeEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .nodeId(int32(m, "nodeId"));
                final List<Map<String, Object>> join = entries(m, "join");
                final MembershipChangeEncoder.JoinEncoder joinGroup = e.joinCount(join.size());
                for (final Map<String, Object> entry : join)
                {
                    joinGroup.next().channel(text(entry, "channel"));
                }
                final List<Map<String, Object>> leave = entries(m, "leave");
                final MembershipChangeEncoder.LeaveEncoder leaveGroup = e.leaveCount(leave.size());
                for (final Map<String, Object> entry : leave)
                {
                    leaveGroup.next().channel(text(entry, "channel"));
                }
                bodyLength = e.user(text(m, "user")).encodedLength();
                break;
            }

            default:
                throw new IllegalArgumentException("no typed encoder for template " + templateId);
        }

        return MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
    }

    /**
     * Decode every field of a message, using the blockLength and version of its header.
     *
     * @return the field map.
     */
    Map<String, Object> decode(final DirectBuffer buffer, final int offset)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final int bodyLength;
        switch (templateId)
        {
            case NodeHeartbeatDecoder.TEMPLATE_ID:
            {
                final NodeHeartbeatDecoder d = nodeHeartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                final RolesDecoder roles = d.roles();
                final Set<String> names = new TreeSet<>();
                addIf(names, roles.gateway(), "gateway");
                addIf(names, roles.channel(), "channel");
                addIf(names, roles.presence(), "presence");
                addIf(names, roles.api(), "api");
                m.put("roles", names);
                m.put("incarnation", d.incarnation());
                m.put("timestampNs", d.timestampNs());
                m.put("nodeName", d.nodeName());
                m.put("region", d.region());
                m.put("endpoint", d.endpoint());
                bodyLength = d.encodedLength();
                break;
            }

            case NodeLostDecoder.TEMPLATE_ID:
            {
                final NodeLostDecoder d = nodeLostDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("timestampNs", d.timestampNs());
                bodyLength = d.encodedLength();
                break;
            }

            case SubscribeDecoder.TEMPLATE_ID:
            {
                final SubscribeDecoder d = subscribeDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("correlationId", d.correlationId());
                m.put("channel", d.channel());
                bodyLength = d.encodedLength();
                break;
            }

            case UnsubscribeDecoder.TEMPLATE_ID:
            {
                final UnsubscribeDecoder d = unsubscribeDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("correlationId", d.correlationId());
                m.put("channel", d.channel());
                bodyLength = d.encodedLength();
                break;
            }

            case PublishDecoder.TEMPLATE_ID:
            {
                final PublishDecoder d = publishDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("correlationId", d.correlationId());
                m.put("timestampNs", d.timestampNs());
                m.put("channel", d.channel());
                m.put("user", d.user());
                m.put("messageId", d.messageId());
                m.put("payload", Blob.read(d.payloadLength(), d::getPayload));
                bodyLength = d.encodedLength();
                break;
            }

            case TransientDecoder.TEMPLATE_ID:
            {
                final TransientDecoder d = transientDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("sessionId", d.sessionId());
                m.put("timestampNs", d.timestampNs());
                m.put("ttlMs", (long)d.ttlMs());
                m.put("channel", d.channel());
                m.put("user", d.user());
                m.put("eventName", d.eventName());
                m.put("payload", Blob.read(d.payloadLength(), d::getPayload));
                bodyLength = d.encodedLength();
                break;
            }

            case TransientEventDecoder.TEMPLATE_ID:
            {
                final TransientEventDecoder d = transientEventDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("sessionId", d.sessionId());
                m.put("timestampNs", d.timestampNs());
                m.put("ttlMs", (long)d.ttlMs());
                m.put("channel", d.channel());
                m.put("user", d.user());
                m.put("eventName", d.eventName());
                m.put("payload", Blob.read(d.payloadLength(), d::getPayload));
                bodyLength = d.encodedLength();
                break;
            }

            case ReactDecoder.TEMPLATE_ID:
            {
                final ReactDecoder d = reactDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("timestampNs", d.timestampNs());
                m.put("channel", d.channel());
                m.put("target", d.target());
                m.put("user", d.user());
                m.put("emoji", d.emoji());
                bodyLength = d.encodedLength();
                break;
            }

            case HistoryRequestDecoder.TEMPLATE_ID:
            {
                final HistoryRequestDecoder d = historyRequestDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("correlationId", d.correlationId());
                m.put("since", d.since());
                m.put("epoch", d.epoch());
                m.put("maxMessages", (long)d.maxMessages());
                m.put("channel", d.channel());
                bodyLength = d.encodedLength();
                break;
            }

            case SubscribedDecoder.TEMPLATE_ID:
            {
                final SubscribedDecoder d = subscribedDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("correlationId", d.correlationId());
                m.put("seq", d.seq());
                m.put("epoch", d.epoch());
                m.put("channel", d.channel());
                bodyLength = d.encodedLength();
                break;
            }

            case PublishAckDecoder.TEMPLATE_ID:
            {
                final PublishAckDecoder d = publishAckDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("correlationId", d.correlationId());
                m.put("seq", d.seq());
                m.put("epoch", d.epoch());
                m.put("channel", d.channel());
                m.put("messageId", d.messageId());
                bodyLength = d.encodedLength();
                break;
            }

            case ChannelEventDecoder.TEMPLATE_ID:
            {
                final ChannelEventDecoder d = channelEventDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("seq", d.seq());
                m.put("epoch", d.epoch());
                m.put("timestampNs", d.timestampNs());
                m.put("channel", d.channel());
                m.put("user", d.user());
                m.put("messageId", d.messageId());
                m.put("payload", Blob.read(d.payloadLength(), d::getPayload));
                bodyLength = d.encodedLength();
                break;
            }

            case ReactionBatchDecoder.TEMPLATE_ID:
            {
                final ReactionBatchDecoder d = reactionBatchDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("windowStartNs", d.windowStartNs());
                m.put("windowEndNs", d.windowEndNs());
                final List<Map<String, Object>> counts = new ArrayList<>();
                for (final ReactionBatchDecoder.CountsDecoder entry : d.counts())
                {
                    counts.add(entry(entry.reactions(), "reactions", entry.emoji(), "emoji"));
                }
                m.put("counts", counts);
                m.put("channel", d.channel());
                m.put("target", d.target());
                bodyLength = d.encodedLength();
                break;
            }

            case HistoryResponseDecoder.TEMPLATE_ID:
            {
                final HistoryResponseDecoder d = historyResponseDecoder
                    .wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("correlationId", d.correlationId());
                m.put("epoch", d.epoch());
                m.put("lastSeq", d.lastSeq());
                m.put("complete", d.complete().name());
                final List<Map<String, Object>> messages = new ArrayList<>();
                for (final HistoryResponseDecoder.MessagesDecoder entry : d.messages())
                {
                    final Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("seq", entry.seq());
                    fields.put("timestampNs", entry.timestampNs());
                    fields.put("user", entry.user());
                    fields.put("messageId", entry.messageId());
                    fields.put("payload", Blob.read(entry.payloadLength(), entry::getPayload));
                    messages.add(fields);
                }
                m.put("messages", messages);
                m.put("channel", d.channel());
                bodyLength = d.encodedLength();
                break;
            }

            case ErrorResponseDecoder.TEMPLATE_ID:
            {
                final ErrorResponseDecoder d = errorResponseDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("correlationId", d.correlationId());
                m.put("code", d.code().name());
                m.put("channel", d.channel());
                m.put("message", d.message());
                bodyLength = d.encodedLength();
                break;
            }

            case PresenceConnectDecoder.TEMPLATE_ID:
            {
                final PresenceConnectDecoder d = presenceConnectDecoder
                    .wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("user", d.user());
                bodyLength = d.encodedLength();
                break;
            }

            case PresenceDisconnectDecoder.TEMPLATE_ID:
            {
                final PresenceDisconnectDecoder d = presenceDisconnectDecoder
                    .wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("user", d.user());
                bodyLength = d.encodedLength();
                break;
            }

            case PresenceWatchDecoder.TEMPLATE_ID:
            {
                final PresenceWatchDecoder d = presenceWatchDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                final List<Map<String, Object>> users = new ArrayList<>();
                for (final PresenceWatchDecoder.UsersDecoder entry : d.users())
                {
                    users.add(entry(entry.user(), "user"));
                }
                m.put("users", users);
                bodyLength = d.encodedLength();
                break;
            }

            case PresenceUnwatchDecoder.TEMPLATE_ID:
            {
                final PresenceUnwatchDecoder d = presenceUnwatchDecoder
                    .wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                final List<Map<String, Object>> users = new ArrayList<>();
                for (final PresenceUnwatchDecoder.UsersDecoder entry : d.users())
                {
                    users.add(entry(entry.user(), "user"));
                }
                m.put("users", users);
                bodyLength = d.encodedLength();
                break;
            }

            case PresenceSetStatusDecoder.TEMPLATE_ID:
            {
                final PresenceSetStatusDecoder d = presenceSetStatusDecoder
                    .wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("status", d.status().name());
                m.put("user", d.user());
                bodyLength = d.encodedLength();
                break;
            }

            case PresenceQueryDecoder.TEMPLATE_ID:
            {
                final PresenceQueryDecoder d = presenceQueryDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("correlationId", d.correlationId());
                final List<Map<String, Object>> users = new ArrayList<>();
                for (final PresenceQueryDecoder.UsersDecoder entry : d.users())
                {
                    users.add(entry(entry.user(), "user"));
                }
                m.put("users", users);
                bodyLength = d.encodedLength();
                break;
            }

            case PresenceUpdateDecoder.TEMPLATE_ID:
            {
                final PresenceUpdateDecoder d = presenceUpdateDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("correlationId", d.correlationId());
                final List<Map<String, Object>> updates = new ArrayList<>();
                for (final PresenceUpdateDecoder.UpdatesDecoder entry : d.updates())
                {
                    updates.add(entry(entry.status().name(), "status", entry.user(), "user"));
                }
                m.put("updates", updates);
                bodyLength = d.encodedLength();
                break;
            }

            case DrainDecoder.TEMPLATE_ID:
            {
                final DrainDecoder d = drainDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                m.put("reconnectInMs", (long)d.reconnectInMs());
                m.put("graceMs", (long)d.graceMs());
                m.put("reason", d.reason());
                m.put("url", d.url());
                bodyLength = d.encodedLength();
                break;
            }

            case MembershipChangeDecoder.TEMPLATE_ID:
            {
                final MembershipChangeDecoder d = membershipChangeDecoder
                    .wrapAndApplyHeader(buffer, offset, headerDecoder);
                m.put("nodeId", (long)d.nodeId());
                final List<Map<String, Object>> join = new ArrayList<>();
                for (final MembershipChangeDecoder.JoinDecoder entry : d.join())
                {
                    join.add(entry(entry.channel(), "channel"));
                }
                m.put("join", join);
                final List<Map<String, Object>> leave = new ArrayList<>();
                for (final MembershipChangeDecoder.LeaveDecoder entry : d.leave())
                {
                    leave.add(entry(entry.channel(), "channel"));
                }
                m.put("leave", leave);
                m.put("user", d.user());
                bodyLength = d.encodedLength();
                break;
            }

            default:
                throw new IllegalArgumentException("no typed decoder for template " + templateId);
        }

        decodedLength = MessageHeaderDecoder.ENCODED_LENGTH + bodyLength;

        return m;
    }

    /**
     * @return the bytes the last {@link #decode} walked: header, block, groups and var-data.
     */
    int decodedLength()
    {
        return decodedLength;
    }

    private static void addIf(final Set<String> names, final boolean isSet, final String name)
    {
        if (isSet)
        {
            names.add(name);
        }
    }

    private static Map<String, Object> entry(final Object value, final String name)
    {
        final Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(name, value);

        return entry;
    }

    private static Map<String, Object> entry(
        final Object value1, final String name1, final Object value2, final String name2)
    {
        final Map<String, Object> entry = entry(value1, name1);
        entry.put(name2, value2);

        return entry;
    }

    private static int int32(final Map<String, Object> m, final String name)
    {
        return Math.toIntExact((Long)field(m, name));
    }

    private static long int64(final Map<String, Object> m, final String name)
    {
        return (Long)field(m, name);
    }

    private static String text(final Map<String, Object> m, final String name)
    {
        return (String)field(m, name);
    }

    private static Blob blob(final Map<String, Object> m, final String name)
    {
        return (Blob)field(m, name);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> strings(final Map<String, Object> m, final String name)
    {
        return (Set<String>)field(m, name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(final Map<String, Object> m, final String name)
    {
        return (List<Map<String, Object>>)field(m, name);
    }

    private static Object field(final Map<String, Object> m, final String name)
    {
        final Object value = m.get(name);
        if (null == value)
        {
            throw new IllegalArgumentException("no field " + name + " in " + m.keySet());
        }

        return value;
    }
}
