package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
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
 * One channel's sessions spread over several event loops, handed to the fan-out as one array: every session gets
 * each frame exactly once (from its own loop's writer), the sender of a transient gets none, and slots past the
 * count are not sessions.
 */
class FanOutLoopsTest
{
    private final DefaultEventLoop[] loops = { new DefaultEventLoop(), new DefaultEventLoop(), new DefaultEventLoop() };
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final List<EmbeddedChannel> sockets = new ArrayList<>();
    private final FanOut fanOut = new FanOut(
        new EventLoop[] { loops[0], loops[1], loops[2] }, metrics, UnpooledByteBufAllocator.DEFAULT,
        1_000_000_000L, Long.MAX_VALUE);

    @AfterEach
    void stop()
    {
        for (final DefaultEventLoop loop : loops)
        {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        sockets.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void shouldWriteEachFrameOnceToEverySessionOfASmallChannel() throws Exception
    {
        // Loops 0 and 2 only: loop 1's writer is not woken, and each writer picks its own sessions.
        final GatewaySession[] sessions = { session(1, 0), session(2, 2), session(3, 0), session(4, 2) };
        fanOut.send(sessions, sessions.length, json("one"), -1, 0);
        fanOut.send(sessions, sessions.length, json("two"), 3, 0);
        settle();

        assertThat(received(sessions[0])).containsExactly("one", "two");
        assertThat(received(sessions[1])).containsExactly("one", "two");
        assertThat(received(sessions[2])).containsExactly("one");
        assertThat(received(sessions[3])).containsExactly("one", "two");
    }

    @Test
    void shouldWriteEachFrameOnceToEverySessionOfALargeChannelAndNothingPastTheCount() throws Exception
    {
        final GatewaySession[] sessions = new GatewaySession[50];
        for (int i = 0; i < sessions.length; i++)
        {
            sessions[i] = session(i, i % loops.length);
        }
        final int count = 40; // the rest are spare slots of a grown array, not members
        fanOut.send(sessions, count, json("hello"), -1, 0);
        settle();

        for (int i = 0; i < sessions.length; i++)
        {
            assertThat(received(sessions[i])).as("session %d", i)
                .isEqualTo(i < count ? List.of("hello") : List.of());
        }
    }

    private GatewaySession session(final long id, final int loop)
    {
        final EmbeddedChannel socket = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        socket.config().setWriteBufferHighWaterMark(Integer.MAX_VALUE);
        sockets.add(socket);
        final GatewaySession session = new GatewaySession(id, "user-" + id, socket, loop, metrics);
        session.frameWriter(socket.pipeline().context(WebSocketFrameEncoder.class));
        return session;
    }

    private void settle() throws InterruptedException
    {
        // Each writer queued its run on its loop when offered a frame; a task queued after it runs after it.
        for (final DefaultEventLoop loop : loops)
        {
            final CountDownLatch done = new CountDownLatch(1);
            loop.execute(done::countDown);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private List<String> received(final GatewaySession session)
    {
        final EmbeddedChannel socket = (EmbeddedChannel)session.channel();
        final List<String> texts = new ArrayList<>();
        for (ByteBuf out = socket.readOutbound(); out != null; out = socket.readOutbound())
        {
            // Short unmasked text frames: 2 header bytes, then the text.
            texts.add(out.toString(out.readerIndex() + 2, out.readableBytes() - 2, StandardCharsets.UTF_8));
            out.release();
        }
        return texts;
    }

    private static ByteBuf json(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
