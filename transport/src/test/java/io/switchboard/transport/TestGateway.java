package io.switchboard.transport;

import io.aeron.Aeron;
import io.switchboard.codecs.MessageHeaderDecoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.PresenceConnectEncoder;
import io.switchboard.codecs.PresenceStatus;
import io.switchboard.codecs.PresenceUpdateDecoder;
import io.switchboard.codecs.PresenceWatchEncoder;
import io.switchboard.engine.OutboundSink;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bare gateway node for presence tests: registers connections and watches with a presence host and records the
 * updates it is sent. Driven by the test thread through {@link #poll()}.
 */
final class TestGateway implements AutoCloseable
{
    final Map<String, PresenceStatus> statuses = new ConcurrentHashMap<>();
    private final Aeron aeron;
    private final TransportCounters counters;
    private final NodeAgent agent;
    private final int presenceHost;
    private final int nodeId;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PresenceUpdateDecoder updateDecoder = new PresenceUpdateDecoder();

    TestGateway(final String aeronDir, final int nodeId, final int presenceHost)
    {
        this.presenceHost = presenceHost;
        this.nodeId = nodeId;
        final NodeContext context = new NodeContext()
            .nodeId(nodeId)
            .nodeName("test-gateway-" + nodeId + "-" + System.nanoTime())
            .aeronDir(aeronDir)
            .roles(java.util.EnumSet.of(Role.GATEWAY))
            .peers(List.of(PeerSpec.parse(presenceHost + "=presence@aeron:ipc")))
            .conclude();
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        counters = new TransportCounters(aeron, context.nodeName());
        agent = new NodeAgent(context, aeron, counters, new PeerListener()
        {
        });
        agent.handle(PresenceUpdateDecoder.TEMPLATE_ID, (templateId, buf, offset, length) ->
        {
            updateDecoder.wrapAndApplyHeader(buf, offset, headerDecoder.wrap(buf, offset));
            for (final PresenceUpdateDecoder.UpdatesDecoder update : updateDecoder.updates())
            {
                final PresenceStatus status = update.status();
                statuses.put(update.user(), status);
            }
            return InboundHandler.CONSUMED;
        });
    }

    int poll()
    {
        return agent.doWork();
    }

    void connect(final String user)
    {
        final PresenceConnectEncoder encoder = new PresenceConnectEncoder()
            .wrapAndApplyHeader(buffer, 0, header).nodeId(nodeId).user(user);
        send(encoder.encodedLength());
    }

    void watch(final String... users)
    {
        final PresenceWatchEncoder encoder = new PresenceWatchEncoder().wrapAndApplyHeader(buffer, 0, header)
            .nodeId(nodeId);
        final PresenceWatchEncoder.UsersEncoder group = encoder.usersCount(users.length);
        for (final String user : users)
        {
            group.next().user(user);
        }
        send(encoder.encodedLength());
    }

    boolean connectedToHost()
    {
        return agent.peers().isConnected(presenceHost);
    }

    private void send(final int bodyLength)
    {
        final int result = agent.peers().send(presenceHost, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + bodyLength);
        assertThat(result).isEqualTo(OutboundSink.SENT);
    }

    public void close()
    {
        agent.onClose();
        CloseHelper.closeAll(counters, aeron);
    }
}
