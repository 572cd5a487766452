package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.switchboard.gateway.GatewayMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session receives fan-out frames in the order the core offered them, also when the loop falls a whole queue
 * behind and deliveries overflow into tasks, and when the queue has room again while overflow tasks still wait.
 */
class LoopWriterOrderTest
{
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop()
    {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void shouldKeepOrderThroughOverflowAndAfterIt() throws Exception
    {
        final GatewayMetrics metrics = new GatewayMetrics();
        // The embedded channel only collects what is written; the writer runs on the real loop above.
        final EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        channel.config().setWriteBufferHighWaterMark(Integer.MAX_VALUE);
        final GatewaySession session = new GatewaySession(1, "u", channel, 0, metrics);
        session.frameWriter(channel.pipeline().context(WebSocketFrameEncoder.class));
        final GatewaySession[] sessions = { session };
        final LoopWriter writer = new LoopWriter(loop, 0, metrics, 1_000_000_000L, Long.MAX_VALUE);

        final CountDownLatch firstGate = block();
        int next = 0;
        for (; next < LoopWriter.QUEUE_CAPACITY; next++)
        {
            writer.offer(sessions, 1, frame(next), -1, 0);
        }
        final CountDownLatch secondGate = block();
        writer.offer(sessions, 1, frame(next++), -1, 0); // the queue is full: this one overflows into a task
        firstGate.countDown(); // the loop writes a batch, making room, then waits at the second gate
        awaitQueueRoom();
        for (int i = 0; i < 100; i++)
        {
            writer.offer(sessions, 1, frame(next++), -1, 0); // room in the queue, but an overflow task still waits
        }
        secondGate.countDown();
        final CountDownLatch done = new CountDownLatch(1);
        loop.execute(done::countDown);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        // The run task re-schedules itself behind the overflow task: let it finish too.
        final CountDownLatch settled = new CountDownLatch(1);
        loop.execute(() -> loop.execute(settled::countDown));
        assertThat(settled.await(30, TimeUnit.SECONDS)).isTrue();

        final List<Integer> received = new ArrayList<>();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound())
        {
            received.add(Integer.parseInt(payload(out)));
            out.release();
        }
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < next; i++)
        {
            expected.add(i);
        }
        assertThat(received).isEqualTo(expected);
        channel.finishAndReleaseAll();
    }

    private CountDownLatch block()
    {
        final CountDownLatch gate = new CountDownLatch(1);
        loop.execute(() ->
        {
            try
            {
                gate.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        return gate;
    }

    private void awaitQueueRoom() throws InterruptedException
    {
        // Before: [run, second gate, overflow]. The run task writes a batch and queues itself again, then the loop
        // parks in the second gate: [overflow, run]. Two tasks left means the queue has room and the gate holds.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loop.pendingTasks() > 2 && System.nanoTime() - deadlineNs < 0)
        {
            Thread.onSpinWait();
        }
    }

    private static ByteBuf frame(final int index)
    {
        final ByteBuf json = Unpooled.copiedBuffer(Integer.toString(index), StandardCharsets.UTF_8);
        try
        {
            return FanOut.encodeTextFrame(UnpooledByteBufAllocator.DEFAULT, json);
        }
        finally
        {
            json.release();
        }
    }

    private static String payload(final ByteBuf frame)
    {
        // Short unmasked text frames: 2 header bytes, then the text.
        return frame.toString(frame.readerIndex() + 2, frame.readableBytes() - 2, StandardCharsets.UTF_8);
    }
}
