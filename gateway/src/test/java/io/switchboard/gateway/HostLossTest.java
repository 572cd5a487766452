package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.transport.EngineWiring;
import io.switchboard.gateway.support.Await;
import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.WsClient;
import io.switchboard.transport.NodeContext;
import io.switchboard.transport.PeerSpec;
import io.switchboard.transport.Role;
import io.switchboard.transport.SwitchboardNode;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway-only node whose channel and presence host is another node on the same driver: losing that host makes
 * its channels unavailable to sessions; when it returns (restarted, new epochs) the gateway subscribes again and
 * tells sessions where the renewed subscriptions start.
 */
class HostLossTest
{
    private final HttpClient http = HttpClient.newHttpClient();
    private SwitchboardNode gatewayNode;
    private SwitchboardNode host;
    private Gateway gateway;
    private WsClient alice;
    private final List<WsClient> clients = new ArrayList<>();

    @AfterEach
    void stop()
    {
        if (null != alice)
        {
            alice.close();
        }
        clients.forEach(WsClient::close);
        CloseHelper.closeAll(gateway, host, gatewayNode);
    }

    @Test
    void shouldReportUnavailableWhenTheHostIsLostAndResubscribeWhenItReturns()
    {
        startGatewayAndHost();

        alice = WsClient.connect(http, gateway.webSocketUrl() + "?token=" +
            URLEncoder.encode(gateway.tokens().issue("alice", List.of("resilient"), 60), StandardCharsets.UTF_8));
        final JsonNode first = alice.await(f -> "subscribed".equals(f.path("type").asText()) &&
            f.path("channels").get(0).path("epoch").asLong() != 0, "subscribed while the host is up");
        final long epoch = first.path("channels").get(0).path("epoch").asLong();
        alice.send("{\"type\":\"publish\",\"channel\":\"resilient\",\"data\":1,\"ref\":\"before\"}");
        alice.await(f -> "ack".equals(f.path("type").asText()) && "before".equals(f.path("ref").asText()), "ack");

        final java.util.function.Predicate<JsonNode> channelError = f -> "error".equals(f.path("type").asText()) &&
            "resilient".equals(f.path("channel").asText()) && f.path("ref").isNull();
        final int errorsBefore = alice.matching(channelError).size();
        host.close();
        final JsonNode lost = alice.awaitCount(errorsBefore + 1, channelError, "unavailable after the host is lost")
            .get(errorsBefore);
        assertThat(lost.path("code").asText()).isEqualTo("unavailable");
        alice.send("{\"type\":\"publish\",\"channel\":\"resilient\",\"data\":2,\"ref\":\"during\"}");
        final JsonNode refused = alice.await(f -> "error".equals(f.path("type").asText()) &&
            "during".equals(f.path("ref").asText()), "publish refused while the host is away");
        assertThat(refused.path("code").asText()).isEqualTo("unavailable");

        host = launchHost();
        final JsonNode renewed = alice.await(f -> "subscribed".equals(f.path("type").asText()) &&
            f.path("channels").get(0).path("epoch").asLong() != epoch, "subscribed again with a new epoch");
        assertThat(renewed.path("channels").get(0).path("channel").asText()).isEqualTo("resilient");
        assertThat(renewed.path("channels").get(0).path("seq").asLong()).isZero();

        alice.send("{\"type\":\"publish\",\"channel\":\"resilient\",\"data\":3,\"ref\":\"after\"}");
        final JsonNode message = alice.await(f -> "message".equals(f.path("type").asText()) &&
            f.path("data").asInt() == 3, "a message after the host returned");
        assertThat(message.path("epoch").asLong()).isNotEqualTo(epoch);
    }

    @Test
    void shouldTellEverySessionAboutEveryChannelOfALostHostOnceAndResumeThemAll()
    {
        // More channels than the gateway reports per turn, some shared by two sessions: the loss is reported in
        // several turns of the core's thread, and none may be skipped or told twice.
        final int sessions = 5;
        final int perSession = 1000;
        final int stride = 900;
        assertThat(stride * (sessions - 1) + perSession).isGreaterThan(4096);
        startGatewayAndHost();

        final List<Set<String>> channelsOf = new ArrayList<>();
        for (int k = 0; k < sessions; k++)
        {
            final Set<String> names = new HashSet<>();
            for (int i = k * stride; i < k * stride + perSession; i++)
            {
                names.add("many-" + i);
            }
            channelsOf.add(names);
            clients.add(WsClient.connect(http, gateway.webSocketUrl() + "?token=" + URLEncoder.encode(
                gateway.tokens().issue("user-" + k, new ArrayList<>(names), 60), StandardCharsets.UTF_8)));
        }
        for (int k = 0; k < sessions; k++)
        {
            final WsClient client = clients.get(k);
            final Set<String> names = channelsOf.get(k);
            Await.until(() -> epochs(client).keySet().containsAll(names), "every channel subscribed");
        }
        final List<Map<String, Long>> epochsBefore = new ArrayList<>();
        clients.forEach(client -> epochsBefore.add(epochs(client)));
        // A session that connected before the gateway heard from the host was told "unavailable" then: count on.
        final List<Integer> errorsBefore = new ArrayList<>();
        clients.forEach(client -> errorsBefore.add(client.matching(HostLossTest::unavailableChannel).size()));

        host.close();
        for (int k = 0; k < sessions; k++)
        {
            final WsClient client = clients.get(k);
            final int before = errorsBefore.get(k);
            final List<JsonNode> told = client.awaitCount(before + perSession, HostLossTest::unavailableChannel,
                "unavailable for every channel of the lost host").subList(before, before + perSession);
            assertThat(told).extracting(f -> f.path("channel").asText())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(channelsOf.get(k));
        }

        host = launchHost();
        for (int k = 0; k < sessions; k++)
        {
            final WsClient client = clients.get(k);
            final Map<String, Long> before = epochsBefore.get(k);
            Await.until(() ->
            {
                final Map<String, Long> now = epochs(client);
                return before.keySet().stream().allMatch(name -> !now.get(name).equals(before.get(name)));
            }, "every channel subscribed again, in a new epoch");
            assertThat(client.matching(HostLossTest::unavailableChannel)).hasSize(errorsBefore.get(k) + perSession);
        }
    }

    /**
     * @return each channel's epoch in the newest {@code subscribed} frame that names it with a non-zero epoch.
     */
    private static Map<String, Long> epochs(final WsClient client)
    {
        final Map<String, Long> epochs = new HashMap<>();
        for (final JsonNode frame : client.frames())
        {
            if ("subscribed".equals(frame.path("type").asText()))
            {
                for (final JsonNode channel : frame.path("channels"))
                {
                    final long epoch = channel.path("epoch").asLong();
                    if (epoch != 0)
                    {
                        epochs.put(channel.path("channel").asText(), epoch);
                    }
                }
            }
        }
        return epochs;
    }

    private static boolean unavailableChannel(final JsonNode frame)
    {
        return "error".equals(frame.path("type").asText()) && "unavailable".equals(frame.path("code").asText()) &&
            frame.path("ref").isNull() && frame.hasNonNull("channel");
    }

    private void startGatewayAndHost()
    {
        gatewayNode = SwitchboardNode.launch(new NodeContext()
            .nodeId(1)
            .nodeName("gateway-only-" + System.nanoTime())
            .roles(EnumSet.of(Role.GATEWAY, Role.API))
            .peers(List.of(PeerSpec.parse("2=channel+presence@aeron:ipc"))), new EngineWiring());
        host = launchHost();
        gateway = Gateway.launch(new GatewayContext().httpPort(0).httpThreads(1).apiKey(GatewayHarness.API_KEY)
            .jwtSecret(GatewayHarness.JWT_SECRET), gatewayNode);
    }

    private SwitchboardNode launchHost()
    {
        return SwitchboardNode.launch(new NodeContext()
            .nodeId(2)
            .nodeName("host-" + System.nanoTime())
            .roles(EnumSet.of(Role.CHANNEL, Role.PRESENCE))
            .aeronDir(gatewayNode.aeronDirectoryName()), new EngineWiring());
    }
}
