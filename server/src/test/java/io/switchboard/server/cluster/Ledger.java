package io.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a publisher sent and what a subscriber got, and the checks between them: every acknowledged message arrives
 * exactly once, nothing arrives that was not sent, every message belongs to the channel it arrives on, and within
 * a channel each message carries the epoch of the channel's latest {@code subscribed} frame and a seq above every
 * seq seen in that epoch (a move shows as a new epoch, never as a seq going back).
 * <p>
 * Thread-safe: publish may be called from a publishing thread while the test thread checks.
 */
final class Ledger
{
    private final ClusterClient publisher;
    private final ClusterClient subscriber;
    private final Set<String> sent = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    private final AtomicLong next = new AtomicLong();

    Ledger(final ClusterClient publisher, final ClusterClient subscriber)
    {
        this.publisher = publisher;
        this.subscriber = subscriber;
    }

    /**
     * @param channel where.
     * @return the message id.
     */
    String publish(final String channel)
    {
        final long n = next.incrementAndGet();
        final String id = "m-" + n;
        sent.add(id);
        publisher.send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"id\":\"" + id +
            "\",\"data\":{\"ch\":\"" + channel + "\",\"n\":" + n + "},\"ref\":" + n + "}");
        return id;
    }

    /**
     * Publish on each channel until one message per channel is acknowledged and delivered: the channels are served.
     *
     * @param channels to probe.
     */
    void awaitServed(final List<String> channels)
    {
        for (final String channel : channels)
        {
            final long deadlineNs = System.nanoTime() + NodeProcess.DEADLINE_MS * 1_000_000L;
            while (true)
            {
                final String id = publish(channel);
                final JsonNode answer = publisher.await(f -> ("ack".equals(type(f)) && id.equals(f.path("id").asText()))
                    || ("error".equals(type(f)) && f.path("ref").asLong() == Long.parseLong(id.substring(2))),
                    "answer to " + id);
                if ("ack".equals(type(answer)))
                {
                    subscriber.await(f -> "message".equals(type(f)) && id.equals(f.path("id").asText()),
                        "delivery of " + id);
                    break;
                }
                assertThat(System.nanoTime() - deadlineNs).as(channel + " served in time").isNegative();
            }
        }
    }

    /**
     * Publish some on each channel and wait until every acknowledged one arrived.
     *
     * @param channels   where.
     * @param perChannel how many on each.
     */
    void round(final List<String> channels, final int perChannel)
    {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < perChannel; i++)
        {
            for (final String channel : channels)
            {
                ids.add(publish(channel));
            }
        }
        publisher.awaitAll(frames -> answered(frames).containsAll(ids), "answers to a round");
        awaitAckedDelivered();
    }

    /**
     * Wait until every acknowledged message arrived.
     */
    void awaitAckedDelivered()
    {
        final Set<String> acked = acked();
        subscriber.awaitAll(frames -> delivered(frames).containsAll(acked), acked.size() + " acked messages");
    }

    /**
     * Check every invariant over everything so far; print the counts.
     *
     * @param label for the output.
     */
    void check(final String label)
    {
        awaitAckedDelivered();
        final Set<String> acked = acked();
        final List<JsonNode> frames = subscriber.matching(f -> true);
        final Set<String> received = new HashSet<>();
        final Map<String, long[]> epochAndSeq = new HashMap<>();
        int messages = 0;
        for (final JsonNode frame : frames)
        {
            if ("subscribed".equals(type(frame)))
            {
                for (final JsonNode channel : frame.path("channels"))
                {
                    epochAndSeq.put(channel.path("channel").asText(),
                        new long[]{ channel.path("epoch").asLong(), channel.path("seq").asLong() });
                }
            }
            else if ("message".equals(type(frame)))
            {
                messages++;
                final String channel = frame.path("channel").asText();
                final String id = frame.path("id").asText();
                assertThat(frame.path("data").path("ch").asText()).as("channel of " + id).isEqualTo(channel);
                assertThat(received.add(id)).as(id + " delivered once").isTrue();
                final long[] state = epochAndSeq.get(channel);
                assertThat(state).as("subscribed before " + id).isNotNull();
                assertThat(frame.path("epoch").asLong()).as("epoch of " + id).isEqualTo(state[0]);
                assertThat(frame.path("seq").asLong()).as("seq of " + id).isGreaterThan(state[1]);
                state[1] = frame.path("seq").asLong();
            }
        }
        final Set<String> sentNow;
        synchronized (sent)
        {
            sentNow = new HashSet<>(sent);
        }
        assertThat(sentNow).containsAll(received);
        assertThat(received).containsAll(acked);
        System.out.printf("%s: sent %d, acknowledged %d, received %d (messages %d), refused or lost %d%n",
            label, sentNow.size(), acked.size(), received.size(), messages, sentNow.size() - received.size());
    }

    private Set<String> acked()
    {
        final Set<String> acked = new HashSet<>();
        for (final JsonNode frame : publisher.matching(f -> "ack".equals(type(f))))
        {
            acked.add(frame.path("id").asText());
        }
        return acked;
    }

    private static Set<String> answered(final List<JsonNode> frames)
    {
        final Set<String> ids = new HashSet<>();
        for (final JsonNode frame : frames)
        {
            if ("ack".equals(type(frame)))
            {
                ids.add(frame.path("id").asText());
            }
            else if ("error".equals(type(frame)) && frame.path("ref").isNumber())
            {
                ids.add("m-" + frame.path("ref").asLong());
            }
        }
        return ids;
    }

    private static Set<String> delivered(final List<JsonNode> frames)
    {
        final Set<String> ids = new HashSet<>();
        for (final JsonNode frame : frames)
        {
            if ("message".equals(type(frame)))
            {
                ids.add(frame.path("id").asText());
            }
        }
        return ids;
    }

    static String type(final JsonNode frame)
    {
        return frame.path("type").asText();
    }
}
