package io.switchboard.engine.channel;

import io.switchboard.codecs.ChannelEventDecoder;
import io.switchboard.codecs.ErrorCode;
import io.switchboard.codecs.HistoryResponseDecoder;
import io.switchboard.codecs.TransientEventDecoder;
import io.switchboard.codecs.PublishAckDecoder;
import io.switchboard.codecs.SubscribedDecoder;
import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Random sequences of operations over a few channels and gateways, checked step by step against a plain model of
 * the contract: subscriptions as sets, history as a byte-bounded log of whole entries that pads rather than wraps
 * and evicts oldest first, channels removed when they have neither subscribers nor retained history.
 */
class ChannelShardPropertyTest
{
    private static final int CAPACITY = 128 * 1024;
    private static final int MAX_MESSAGES = 7;
    private static final int MAX_RESPONSE_BYTES = 16 * 1024;
    private static final String[] CHANNELS = { "alpha", "beta", "gamma" };
    private static final int GATEWAYS = 4;
    private static final long FOREIGN_EPOCH = 987_654_321L;

    @Test
    void shouldMatchModelWithDefaultHasher()
    {
        check(DefaultKeyHasher.INSTANCE);
    }

    @Test
    void shouldMatchModelWhenEveryKeyCollides()
    {
        check((buffer, offset, length) -> 99L);
    }

    private static void check(final KeyHasher hasher)
    {
        qt().withExamples(300)
            .forAll(lists().of(operations()).ofSizeBetween(1, 120))
            .checkAssert(operations -> new Run(hasher).apply(operations));
    }

    private static Gen<Op> operations()
    {
        return integers().between(0, 9).zip(
            integers().between(1, GATEWAYS),
            integers().between(0, CHANNELS.length - 1),
            integers().between(0, 20_000),
            integers().between(0, 1199),
            Op::new);
    }

    /**
     * kind: 0-1 subscribe, 2 unsubscribe, 3-5 publish, 6 transient, 7-8 history, 9 node lost.
     */
    record Op(int kind, int gateway, int channel, int size, int aux)
    {
    }

    record Entry(String channel, long seq, long timestampNs, String user, String messageId, byte[] payload)
    {
        int logLength()
        {
            return align8(32 + 2 + utf8(user).length + 2 + utf8(messageId).length + 4 + payload.length);
        }

        int responseLength()
        {
            return 16 + 2 + utf8(user).length + 2 + utf8(messageId).length + 4 + payload.length;
        }
    }

    record LogRecord(Entry entry, int length)
    {
    }

    static final class ModelChannel
    {
        long epoch;
        long lastSeq;
        final Set<Integer> subscribers = new TreeSet<>();
        final Deque<Entry> retained = new ArrayDeque<>();
    }

    static final class Run
    {
        private final ShardDriver driver;
        private final Map<String, ModelChannel> live = new HashMap<>();
        private final Map<String, Set<Long>> pastEpochs = new HashMap<>();
        private final Deque<LogRecord> log = new ArrayDeque<>();
        private long head;
        private long tail;
        private long correlationId;

        Run(final KeyHasher hasher)
        {
            driver = new ShardDriver(new ChannelShardContext()
                .keyHasher(hasher)
                .historyBytes(CAPACITY)
                .maxHistoryMessages(MAX_MESSAGES)
                .maxResponseBytes(MAX_RESPONSE_BYTES));
        }

        void apply(final List<Op> operations)
        {
            for (final Op op : operations)
            {
                final String name = CHANNELS[op.channel()];
                switch (op.kind())
                {
                    case 0, 1 -> subscribe(op.gateway(), name);
                    case 2 -> unsubscribe(op.gateway(), name);
                    case 3, 4, 5 -> publish(op.gateway(), name, op.size());
                    case 6 -> transientEvent(op.gateway(), name);
                    case 7, 8 -> history(op.gateway(), name, op.aux());
                    default -> nodeLost(op.gateway());
                }
                checkInvariants();
            }
        }

        private void subscribe(final int gateway, final String name)
        {
            final ModelChannel channel = live.computeIfAbsent(name, n -> new ModelChannel());
            channel.subscribers.add(gateway);
            driver.subscribe(gateway, ++correlationId, name);

            final List<RecordingSink.Sent> sent = driver.sink.drain();
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).templateId()).isEqualTo(SubscribedDecoder.TEMPLATE_ID);
            final RecordingSink.Subscribed subscribed = sent.get(0).subscribed();
            assertThat(subscribed.nodeId()).isEqualTo(gateway);
            assertThat(subscribed.correlationId()).isEqualTo(correlationId);
            assertThat(subscribed.seq()).isEqualTo(channel.lastSeq);
            assertThat(subscribed.channel()).isEqualTo(name);
            learnEpoch(name, channel, subscribed.epoch());
        }

        private void unsubscribe(final int gateway, final String name)
        {
            driver.unsubscribe(gateway, name);

            assertThat(driver.sink.drain()).isEmpty();
            final ModelChannel channel = live.get(name);
            if (null != channel)
            {
                channel.subscribers.remove(gateway);
                endLifeIfIdle(name, channel);
            }
        }

        private void publish(final int gateway, final String name, final int size)
        {
            final ModelChannel channel = live.computeIfAbsent(name, n -> new ModelChannel());
            final long seq = ++channel.lastSeq;
            final long id = ++correlationId;
            final byte[] payload = new byte[size];
            for (int i = 0; i < size; i++)
            {
                payload[i] = (byte)(seq * 31 + i + name.length());
            }
            final Entry entry = new Entry(name, seq, id * 10, "u" + gateway, "m" + id, payload);
            append(entry);
            channel.retained.addLast(entry);

            driver.publish(gateway, id, entry.timestampNs(), name, entry.user(), entry.messageId(), payload);

            final List<RecordingSink.Sent> sent = driver.sink.drain();
            final List<RecordingSink.Sent> acks = sent.stream()
                .filter(s -> s.templateId() == PublishAckDecoder.TEMPLATE_ID).toList();
            assertThat(acks).hasSize(1);
            final RecordingSink.Ack ack = acks.get(0).ack();
            assertThat(ack.nodeId()).isEqualTo(gateway);
            assertThat(ack.correlationId()).isEqualTo(id);
            assertThat(ack.seq()).isEqualTo(seq);
            learnEpoch(name, channel, ack.epoch());

            final List<RecordingSink.Event> events = sent.stream()
                .filter(s -> s.templateId() == ChannelEventDecoder.TEMPLATE_ID)
                .map(RecordingSink.Sent::event)
                .toList();
            assertThat(events.size() + acks.size()).isEqualTo(sent.size());
            assertThat(events).extracting(RecordingSink.Event::nodeId)
                .containsExactlyInAnyOrderElementsOf(channel.subscribers);
            for (final RecordingSink.Event event : events)
            {
                assertThat(event.seq()).isEqualTo(seq);
                assertThat(event.epoch()).isEqualTo(channel.epoch);
                assertThat(event.channel()).isEqualTo(name);
                assertThat(event.messageId()).isEqualTo(entry.messageId());
                assertThat(event.payload()).isEqualTo(payload);
            }
        }

        private void transientEvent(final int gateway, final String name)
        {
            driver.transientEvent(gateway, ++correlationId, 5, 5000, name, "u", "typing", utf8("{}"));
            final List<RecordingSink.Sent> sent = driver.sink.drain();
            final ModelChannel channel = live.get(name);
            if (null == channel)
            {
                assertThat(sent).isEmpty();
                return;
            }

            assertThat(sent).extracting(RecordingSink.Sent::nodeId)
                .containsExactlyInAnyOrderElementsOf(channel.subscribers);
            assertThat(sent).allSatisfy(s ->
            {
                assertThat(s.templateId()).isEqualTo(TransientEventDecoder.TEMPLATE_ID);
                final RecordingSink.TransientEvent event = s.transientEvent();
                assertThat(event.originNodeId()).isEqualTo(gateway);
                assertThat(event.channel()).isEqualTo(name);
                assertThat(event.eventName()).isEqualTo("typing");
            });
        }

        private void history(final int gateway, final String name, final int aux)
        {
            final long since = aux % 40;
            final int epochChoice = (aux / 40) % 3;
            final int maxMessages = (aux / 120) % 10 - 1;
            final ModelChannel channel = live.get(name);
            final long requestEpoch = 0 == epochChoice ? 0 :
                1 == epochChoice ? (null == channel ? 0 : channel.epoch) : FOREIGN_EPOCH;

            driver.history(gateway, ++correlationId, name, since, requestEpoch, maxMessages);

            final List<RecordingSink.Sent> sent = driver.sink.drain();
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).nodeId()).isEqualTo(gateway);
            if (maxMessages <= 0)
            {
                assertThat(sent.get(0).error().code()).isEqualTo(ErrorCode.BAD_REQUEST);
                return;
            }

            assertThat(sent.get(0).templateId()).isEqualTo(HistoryResponseDecoder.TEMPLATE_ID);
            final RecordingSink.History history = sent.get(0).history();
            assertThat(history.correlationId()).isEqualTo(correlationId);
            assertThat(history.channel()).isEqualTo(name);
            if (null == channel)
            {
                assertThat(history.epoch()).isZero();
                assertThat(history.lastSeq()).isZero();
                assertThat(history.messages()).isEmpty();
                assertThat(history.complete()).isEqualTo(0 == since && 0 == requestEpoch);
                return;
            }

            final boolean epochMatches = 0 == requestEpoch || channel.epoch == requestEpoch;
            final long from = epochMatches ? since : 0;
            final List<Entry> wanted = channel.retained.stream().filter(e -> e.seq() > from).toList();
            final List<Entry> page = new ArrayList<>();
            int length = 8 + 25 + 4 + 2 + utf8(name).length;
            for (final Entry entry : wanted)
            {
                if (page.size() == Math.min(maxMessages, MAX_MESSAGES) ||
                    (!page.isEmpty() && length + entry.responseLength() > MAX_RESPONSE_BYTES))
                {
                    break;
                }
                page.add(entry);
                length += entry.responseLength();
            }

            assertThat(history.epoch()).isEqualTo(channel.epoch);
            assertThat(history.lastSeq()).isEqualTo(channel.lastSeq);
            assertThat(history.complete())
                .isEqualTo(epochMatches && (from >= channel.lastSeq || wanted.size() == channel.lastSeq - from));
            assertThat(history.seqs()).containsExactlyElementsOf(page.stream().map(Entry::seq).toList());
            for (int i = 0; i < page.size(); i++)
            {
                final RecordingSink.HistoryMessage message = history.messages().get(i);
                assertThat(message.timestampNs()).isEqualTo(page.get(i).timestampNs());
                assertThat(message.user()).isEqualTo(page.get(i).user());
                assertThat(message.messageId()).isEqualTo(page.get(i).messageId());
                assertThat(message.payload()).isEqualTo(page.get(i).payload());
            }
        }

        private void nodeLost(final int gateway)
        {
            driver.nodeLost(gateway);

            assertThat(driver.sink.drain()).isEmpty();
            for (final String name : new ArrayList<>(live.keySet()))
            {
                final ModelChannel channel = live.get(name);
                channel.subscribers.remove(gateway);
                endLifeIfIdle(name, channel);
            }
        }

        private void append(final Entry entry)
        {
            final int length = entry.logLength();
            final int offset = (int)(head % CAPACITY);
            if (offset + length > CAPACITY)
            {
                final int padding = CAPACITY - offset;
                makeRoom(padding, entry.channel());
                log.addLast(new LogRecord(null, padding));
                head += padding;
            }
            makeRoom(length, entry.channel());
            log.addLast(new LogRecord(entry, length));
            head += length;
        }

        private void makeRoom(final int length, final String publishing)
        {
            while (head + length - tail > CAPACITY)
            {
                final LogRecord oldest = log.pollFirst();
                tail += oldest.length();
                if (null != oldest.entry())
                {
                    final String name = oldest.entry().channel();
                    final ModelChannel channel = live.get(name);
                    assertThat(channel.retained.pollFirst()).isSameAs(oldest.entry());
                    if (!name.equals(publishing))
                    {
                        endLifeIfIdle(name, channel);
                    }
                }
            }
        }

        private void endLifeIfIdle(final String name, final ModelChannel channel)
        {
            if (channel.subscribers.isEmpty() && channel.retained.isEmpty())
            {
                live.remove(name);
                pastEpochs.computeIfAbsent(name, n -> new HashSet<>()).add(channel.epoch);
            }
        }

        private void learnEpoch(final String name, final ModelChannel channel, final long epoch)
        {
            if (0 == channel.epoch)
            {
                assertThat(epoch).isPositive();
                assertThat(pastEpochs.getOrDefault(name, Set.of())).doesNotContain(epoch);
                channel.epoch = epoch;
            }
            else
            {
                assertThat(epoch).isEqualTo(channel.epoch);
            }
        }

        private void checkInvariants()
        {
            final ChannelShard shard = driver.shard;
            assertThat(shard.channelCount()).isEqualTo(live.size());
            assertThat(shard.historyBytesHeld()).isEqualTo(head - tail).isLessThanOrEqualTo(CAPACITY);
            final Set<Integer> gateways = new HashSet<>();
            for (final ModelChannel channel : live.values())
            {
                gateways.addAll(channel.subscribers);
                long expected = channel.lastSeq - channel.retained.size() + 1;
                for (final Entry entry : channel.retained)
                {
                    assertThat(entry.seq()).isEqualTo(expected++);
                }
            }
            assertThat(shard.gatewayCount()).isEqualTo(gateways.size());
        }
    }

    private static int align8(final int length)
    {
        return (length + 7) & ~7;
    }

    private static byte[] utf8(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
