package io.switchboard.engine.shard;

import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.NodeLostEncoder;
import io.switchboard.engine.ShardHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardPipelineTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final NodeLostEncoder nodeLost = new NodeLostEncoder();
    private ShardPipeline pipeline;

    @AfterEach
    void close()
    {
        if (null != pipeline)
        {
            pipeline.close();
        }
    }

    @Test
    void shouldDeliverEveryMessageInOrderOnOneThread() throws Exception
    {
        final List<Long> seen = new CopyOnWriteArrayList<>();
        final AtomicReference<Thread> owner = new AtomicReference<>();
        final AtomicInteger foreignThreads = new AtomicInteger();
        final ShardHandler handler = (buf, offset, length) ->
        {
            if (!owner.compareAndSet(null, Thread.currentThread()) && owner.get() != Thread.currentThread())
            {
                foreignThreads.incrementAndGet();
            }
            seen.add(buf.getLong(offset + MessageHeaderEncoder.ENCODED_LENGTH + 4));
        };

        pipeline = new ShardPipeline(new ShardContext().ringSize(64).threadName("test-shard"), handler).start();
        for (long i = 0; i < 10_000; i++)
        {
            final int length = encodeNodeLost(7, i);
            while (ShardPipeline.OFFERED != pipeline.offer(buffer, 0, length))
            {
                Thread.onSpinWait();
            }
        }
        pipeline.close();

        assertThat(seen).hasSize(10_000);
        for (int i = 0; i < seen.size(); i++)
        {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        assertThat(foreignThreads).hasValue(0);
        assertThat(owner.get().getName()).isEqualTo("test-shard");
    }

    @Test
    void shouldReportBackPressureWhenRingIsFullInsteadOfWaiting() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch firstSeen = new CountDownLatch(1);
        final AtomicInteger handled = new AtomicInteger();
        pipeline = new ShardPipeline(new ShardContext().ringSize(4), (buf, offset, length) ->
        {
            firstSeen.countDown();
            await(release);
            handled.incrementAndGet();
        }).start();

        final int length = encodeNodeLost(1, 1);
        assertThat(pipeline.offer(buffer, 0, length)).isEqualTo(ShardPipeline.OFFERED);
        assertThat(firstSeen.await(10, TimeUnit.SECONDS)).isTrue();

        int offered = 1;
        int result;
        while ((result = pipeline.offer(buffer, 0, length)) == ShardPipeline.OFFERED)
        {
            offered++;
        }
        assertThat(result).isEqualTo(ShardPipeline.BACK_PRESSURED);
        assertThat(offered).isEqualTo(4); // the slot being handled is freed only when its handler returns
        assertThat(pipeline.hasCapacity()).isFalse();

        release.countDown();
        pipeline.close();
        assertThat(handled).hasValue(offered);
    }

    @Test
    void shouldRejectTooLargeAndNotStartedAndClosed()
    {
        pipeline = new ShardPipeline(new ShardContext().maxMessageLength(64), (buf, offset, length) -> { });
        assertThat(pipeline.offer(buffer, 0, 16)).isEqualTo(ShardPipeline.CLOSED);
        pipeline.start();
        assertThat(pipeline.offer(buffer, 0, 65)).isEqualTo(ShardPipeline.TOO_LARGE);
        assertThat(pipeline.offer(buffer, 0, 64)).isEqualTo(ShardPipeline.OFFERED);
        pipeline.close();
        assertThat(pipeline.offer(buffer, 0, 16)).isEqualTo(ShardPipeline.CLOSED);
        assertThat(pipeline.tick(1)).isEqualTo(ShardPipeline.CLOSED);
    }

    @Test
    void shouldKeepServingAfterHandlerThrows() throws Exception
    {
        final AtomicInteger handled = new AtomicInteger();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        pipeline = new ShardPipeline(new ShardContext().errorHandler(errors::add), (buf, offset, length) ->
        {
            if (buf.getLong(offset + MessageHeaderEncoder.ENCODED_LENGTH + 4) % 2 == 0)
            {
                throw new IllegalStateException("even");
            }
            handled.incrementAndGet();
        }).start();

        for (int i = 0; i < 100; i++)
        {
            assertThat(pipeline.offer(buffer, 0, encodeNodeLost(1, i))).isEqualTo(ShardPipeline.OFFERED);
        }
        pipeline.close();

        assertThat(handled).hasValue(50);
        assertThat(pipeline.handlerErrors()).isEqualTo(50);
        assertThat(errors).hasSize(50);
    }

    @Test
    void shouldRunTimersOnTickAndAfterBatches() throws Exception
    {
        final List<Long> ticks = new CopyOnWriteArrayList<>();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger shutdowns = new AtomicInteger();
        pipeline = new ShardPipeline(new ShardContext(), new ShardHandler()
        {
            public void onMessage(final DirectBuffer buf, final int offset, final int length)
            {
            }

            public int onTimer(final long nowNs)
            {
                ticks.add(nowNs);
                return 0;
            }

            public void onStart()
            {
                starts.incrementAndGet();
            }

            public void onShutdown()
            {
                shutdowns.incrementAndGet();
            }
        }).start();

        assertThat(pipeline.tick(42L)).isEqualTo(ShardPipeline.OFFERED);
        pipeline.close();

        assertThat(ticks).contains(42L);
        assertThat(starts).hasValue(1);
        assertThat(shutdowns).hasValue(1);
    }

    @Test
    void shouldValidateContextOnce()
    {
        assertThatThrownBy(() -> new ShardContext().ringSize(1000).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> WaitStrategyName.parse("spinny"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busy-spin");
        assertThat(WaitStrategyName.parse("busy-spin")).isEqualTo(WaitStrategyName.BUSY_SPIN);
        assertThat(WaitStrategyName.parse("Yielding")).isEqualTo(WaitStrategyName.YIELDING);
    }

    private int encodeNodeLost(final int nodeId, final long timestamp)
    {
        nodeLost.wrapAndApplyHeader(buffer, 0, headerEncoder).nodeId(nodeId).timestampNs(timestamp);
        return MessageHeaderEncoder.ENCODED_LENGTH + nodeLost.encodedLength();
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("not released");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
