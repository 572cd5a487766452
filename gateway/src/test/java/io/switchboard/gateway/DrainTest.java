package io.switchboard.gateway;

import io.switchboard.gateway.support.GatewayHarness;
import io.switchboard.gateway.support.SampledLeakDetection;
import io.switchboard.gateway.support.ResumingClient;
import io.switchboard.gateway.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drain under load: two gateways, 100 clients on the first, a publisher on the second sending 10,000 messages while
 * the first is drained. Every client must end up on the second gateway having received every message exactly once,
 * in seq order, resuming through history.
 */
@SampledLeakDetection
class DrainTest
{
    private static final int CLIENTS = 100;
    private static final int MESSAGES = 10_000;
    private static final String CHANNEL = "drain-room";
    private static final int WINDOW = 20;
    private static final long DEADLINE_MS = 60_000;

    private GatewayHarness harness;
    private ScheduledExecutorService scheduler;
    private final List<ResumingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException
    {
        for (final ResumingClient client : clients)
        {
            client.close();
        }
        if (null != scheduler)
        {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
        harness.close();
    }

    @Test
    void shouldMoveEveryClientToTheOtherGatewayWithoutLosingOrRepeatingAMessage() throws InterruptedException
    {
        harness = GatewayHarness.start(context -> context
            .highWaterMarkBytes(64 * 1024 * 1024)
            .drainGraceMs(30_000));
        final Gateway first = harness.gateway();
        final Gateway second = harness.startSecondGateway(context -> context
            .highWaterMarkBytes(64 * 1024 * 1024)
            .ratePerSecond(1_000_000)
            .rateBurst(1_000_000));
        scheduler = Executors.newScheduledThreadPool(2);

        for (int i = 0; i < CLIENTS; i++)
        {
            final ResumingClient client = new ResumingClient(harness.http(), scheduler, first.webSocketUrl(),
                harness.token("client-" + i, CHANNEL), CHANNEL);
            clients.add(client);
            client.start();
        }
        awaitLong(() -> clients.stream().allMatch(ResumingClient::isSubscribed), "every client subscribed");

        final WsClient publisher = harness.connectWithToken(second, harness.token("publisher", CHANNEL), true);
        publisher.await("subscribed");
        final AtomicInteger sent = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong publishedNs = new java.util.concurrent.atomic.AtomicLong();
        final long startNs = System.nanoTime();
        final Thread publishing = new Thread(() ->
        {
            for (int n = 1; n <= MESSAGES; n++)
            {
                if (n > WINDOW)
                {
                    // At most WINDOW publishes unacknowledged: the publisher keeps sending throughout the drain.
                    publisher.awaitTypeCount("ack", n - WINDOW);
                }
                publisher.send("{\"type\":\"publish\",\"channel\":\"" + CHANNEL + "\",\"data\":{\"n\":" + n + "}}");
                sent.set(n);
            }
            publishedNs.set(System.nanoTime());
        }, "publisher");
        publishing.start();

        awaitLong(() -> sent.get() >= MESSAGES / 5, "a fifth of the messages sent");
        final HttpResponse<String> drained = harness.http("POST", "/admin/drain",
            "{\"reason\":\"test\",\"url\":\"" + second.webSocketUrl() + "\",\"reconnectInMs\":1000}", true);
        final int drainedAt = sent.get();
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(202);
        assertThat(GatewayHarness.json(drained.body()).path("sessions").asInt()).isEqualTo(CLIENTS);

        publishing.join(DEADLINE_MS);
        assertThat(publishing.isAlive()).isFalse();
        publisher.awaitTypeCount("ack", MESSAGES);

        awaitLong(() -> clients.stream().allMatch(c -> c.lastSeq() == MESSAGES), "every client has every message");
        awaitLong(() -> first.metrics().connections() == 0, "the first gateway empty");
        System.out.println("drain: published in " + TimeUnit.NANOSECONDS.toMillis(publishedNs.get() - startNs) +
            " ms, drained after message " + drainedAt + ", history retries " +
            clients.stream().mapToInt(ResumingClient::historyRetries).sum() + ", connections " +
            clients.stream().mapToInt(ResumingClient::connections).sum());
        for (final ResumingClient client : clients)
        {
            assertThat(client.delivered()).isEqualTo(MESSAGES);
            assertThat(client.dataMismatches()).isZero();
            assertThat(client.liveOrderViolations()).isZero();
            assertThat(client.url()).isEqualTo(second.webSocketUrl());
            assertThat(client.connections()).isGreaterThanOrEqualTo(2);
        }
        awaitLong(() -> second.metrics().connections() == CLIENTS + 1, "every client on the second gateway once");
    }

    private String describe()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < clients.size(); i++)
        {
            if (clients.get(i).lastSeq() != MESSAGES)
            {
                sb.append("\n client-").append(i).append(": ").append(clients.get(i).describe());
            }
        }
        return sb.toString();
    }

    private void awaitLong(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what + describe());
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw new AssertionError("interrupted waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
