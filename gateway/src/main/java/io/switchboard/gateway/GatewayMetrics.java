package io.switchboard.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Micrometer meters, exposed in Prometheus format on {@code GET /metrics}: connections, frames in and
 * out, errors sent by code, slow-consumer and flood closes, and the publish-to-deliver latency histogram (from the
 * publish timestamp to the moment an event loop wrote the frame to its sessions).
 * <p>
 * Thread-safe: meters are updated from event loops and the gateway core.
 */
public final class GatewayMetrics
{
    /** Error codes of the client protocol. */
    public static final List<String> ERROR_CODES = List.of(
        "bad_request", "unknown_type", "forbidden", "not_found", "too_large", "rate_limited", "unavailable");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter slowConsumerCloses;
    private final Counter floodCloses;
    private final Counter gaps;
    private final Counter staleEvents;
    private final Counter channelMoves;
    private final Counter transientsExpired;
    private final Counter membershipsRelayed;
    private final Counter membershipsRelayFailed;
    private final Counter membershipsReceived;
    private final Counter membershipsRejected;
    private final Map<String, Counter> errors = new HashMap<>();
    private final Timer deliverLatency;

    /**
     * Register every meter.
     */
    public GatewayMetrics()
    {
        Gauge.builder("switchboard.gateway.connections", connections, AtomicInteger::get)
            .description("open WebSocket sessions").register(registry);
        framesIn = Counter.builder("switchboard.gateway.frames.in")
            .description("WebSocket frames received from clients").register(registry);
        framesOut = Counter.builder("switchboard.gateway.frames.out")
            .description("WebSocket frames written to clients").register(registry);
        slowConsumerCloses = Counter.builder("switchboard.gateway.slow.consumer.closes")
            .description("sessions closed with 4013 because they did not read").register(registry);
        floodCloses = Counter.builder("switchboard.gateway.flood.closes")
            .description("sessions closed with 4008 for flooding").register(registry);
        gaps = Counter.builder("switchboard.gateway.seq.gaps")
            .description("channel events that skipped seqs (clients repair them from history)").register(registry);
        staleEvents = Counter.builder("switchboard.gateway.stale.events")
            .description("channel events dropped because they came from a channel's previous owner").register(registry);
        channelMoves = Counter.builder("switchboard.gateway.channel.moves")
            .description("local channels re-subscribed at a new owner after a placement change").register(registry);
        transientsExpired = Counter.builder("switchboard.gateway.transients.expired")
            .description("transient events dropped past their TTL").register(registry);
        // relayed / relay_failed: other gateways that took (did not take) a change made here, one per gateway;
        // received / rejected: changes from other gateways applied here (refused or failed to apply).
        membershipsRelayed = membershipCounter("relayed");
        membershipsRelayFailed = membershipCounter("relay_failed");
        membershipsReceived = membershipCounter("received");
        membershipsRejected = membershipCounter("rejected");
        for (final String code : ERROR_CODES)
        {
            errors.put(code, Counter.builder("switchboard.gateway.errors").tag("code", code)
                .description("error frames sent to clients, by code").register(registry));
        }
        deliverLatency = Timer.builder("switchboard.gateway.publish.deliver.latency")
            .description("from publish timestamp to the frame written to local subscribers")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    }

    /** A session opened. */
    public void connectionOpened()
    {
        connections.incrementAndGet();
    }

    /** A session closed. */
    public void connectionClosed()
    {
        connections.decrementAndGet();
    }

    /** @return open sessions. */
    public int connections()
    {
        return connections.get();
    }

    /** One frame from a client. */
    public void frameIn()
    {
        framesIn.increment();
    }

    /** One frame to a client. */
    public void frameOut()
    {
        framesOut.increment();
    }

    /** @param count frames written to clients. */
    public void framesOut(final int count)
    {
        framesOut.increment(count);
    }

    /** @param code error code sent to a client. */
    public void error(final String code)
    {
        final Counter counter = errors.get(code);
        if (null != counter)
        {
            counter.increment();
        }
    }

    /** A slow consumer was closed. */
    public void slowConsumerClosed()
    {
        slowConsumerCloses.increment();
    }

    /** A flooding session was closed. */
    public void floodClosed()
    {
        floodCloses.increment();
    }

    /** A channel event from a channel's previous owner was dropped. */
    public void staleEvent()
    {
        staleEvents.increment();
    }

    /**
     * @param count local channels moved to a new owner.
     */
    public void channelsMoved(final int count)
    {
        channelMoves.increment(count);
    }

    /** A channel event skipped seqs. */
    public void gap()
    {
        gaps.increment();
    }

    /** A transient event arrived past its TTL. */
    public void transientExpired()
    {
        transientsExpired.increment();
    }

    /**
     * @param gateways other gateways that took a membership change made here.
     * @param failed   other gateways that did not.
     */
    public void membershipRelayed(final int gateways, final int failed)
    {
        membershipsRelayed.increment(gateways);
        membershipsRelayFailed.increment(failed);
    }

    /** A membership change from another gateway was applied. */
    public void membershipReceived()
    {
        membershipsReceived.increment();
    }

    /** A membership change from another gateway was refused or could not be applied. */
    public void membershipRejected()
    {
        membershipsRejected.increment();
    }

    /** @return membership changes from other gateways applied here so far. */
    public double membershipsReceived()
    {
        return membershipsReceived.count();
    }

    /** @param nanos from publish to delivery. */
    public void delivered(final long nanos)
    {
        if (nanos >= 0)
        {
            deliverLatency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** @return slow consumers closed so far. */
    public double slowConsumerCloses()
    {
        return slowConsumerCloses.count();
    }

    private Counter membershipCounter(final String outcome)
    {
        return Counter.builder("switchboard.gateway.membership.changes").tag("outcome", outcome)
            .description("membership changes relayed to other gateways, and received from them, by outcome")
            .register(registry);
    }

    /** @return the Prometheus text exposition. */
    public String scrape()
    {
        return registry.scrape();
    }
}
