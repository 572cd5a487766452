package io.switchboard.transport;

import io.switchboard.codecs.DrainEncoder;
import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.engine.OutboundSink;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose agent thread writes to its own stream (a gateway and a channel host in one process) must not wait
 * on back-pressure from that stream: only the agent drains it. With an offer timeout of a minute, a refused
 * self-send that waited would stall the agent for a minute per message; here the agent turns to polling at once,
 * every message it sent arrives, and sending works again once the stream has drained.
 */
class SelfBackPressureTest
{
    private static final int MESSAGES = 2_000;
    private SwitchboardNode node;

    @AfterEach
    void stop()
    {
        CloseHelper.close(node);
    }

    @Test
    void shouldRefuseAtOnceAndKeepPollingWhenTheOwnStreamIsFull()
    {
        node = SwitchboardNode.launch(new NodeContext()
            .nodeId(1)
            .nodeName("self-pressure-" + System.nanoTime())
            .roles(EnumSet.of(Role.CHANNEL))
            .termLength(64 * 1024)
            .offerTimeoutNs(60_000_000_000L), new EngineWiring());
        final AtomicLong received = new AtomicLong();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger afterDrain = new AtomicInteger(Integer.MIN_VALUE);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new DrainEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .nodeId(1).reconnectInMs(1).graceMs(1).reason("r".repeat(1000)).url("u").encodedLength();

        node.agent().post(() -> node.agent().handle(DrainEncoder.TEMPLATE_ID, (templateId, b, offset, len) ->
        {
            received.incrementAndGet();
            return InboundHandler.CONSUMED;
        }));
        // One command sends far more than the stream holds (64 KiB terms, ~1 KiB messages) without polling.
        node.agent().post(() ->
        {
            for (int i = 0; i < MESSAGES; i++)
            {
                final int result = node.agent().peers().send(1, buffer, 0, length);
                if (OutboundSink.SENT == result)
                {
                    sent.incrementAndGet();
                }
                else
                {
                    assertThat(result).isEqualTo(OutboundSink.BACK_PRESSURED);
                    refused.incrementAndGet();
                }
            }
        });
        await(() -> sent.get() + refused.get() == MESSAGES, "the agent got through every send");
        assertThat(refused.get()).as("the stream filled up").isPositive();
        await(() -> received.get() == sent.get(), "every message that was sent arrived");

        // The driver moves the publication's limit on its own duty cycle, so the first send after the drain may
        // still meet the old limit: a refused send is retried, as a publisher told back-pressured would.
        final Runnable sendOnce = () -> afterDrain.set(node.agent().peers().send(1, buffer, 0, length));
        node.agent().post(sendOnce);
        await(() ->
        {
            final int result = afterDrain.get();
            if (OutboundSink.BACK_PRESSURED == result && afterDrain.compareAndSet(result, Integer.MIN_VALUE))
            {
                node.agent().post(sendOnce);
            }
            return OutboundSink.SENT == afterDrain.get() || OutboundSink.NOT_CONNECTED == afterDrain.get();
        }, "a send after the drain");
        assertThat(afterDrain.get()).isEqualTo(OutboundSink.SENT);
        await(() -> received.get() == sent.get() + 1, "and it arrives");
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
