package io.switchboard.gateway.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Idle events on a frozen clock: reader idle after every quiet period, writer idle after the heartbeat period
 * without writes, nothing while traffic flows, nothing after the channel closed.
 */
class HeartbeatHandlerTest
{
    private final List<IdleStateEvent> events = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp()
    {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new HeartbeatHandler(100, 300), new ChannelInboundHandlerAdapter()
        {
            public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
            {
                events.add((IdleStateEvent)event);
            }
        });
    }

    private void advance(final long ms)
    {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
    }

    @Test
    void shouldReportReaderIdleEveryQuietPeriodAndWriterIdleAfterTheHeartbeat()
    {
        advance(100);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        advance(100);
        advance(100);
        assertThat(events).containsExactly(
            IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT,
            IdleStateEvent.READER_IDLE_STATE_EVENT,
            IdleStateEvent.READER_IDLE_STATE_EVENT,
            IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
    }

    @Test
    void shouldStayQuietWhileBothDirectionsCarryTraffic()
    {
        for (int i = 0; i < 10; i++)
        {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{ 1 }));
            channel.writeOutbound(Unpooled.wrappedBuffer(new byte[]{ 2 }));
            advance(100);
        }
        assertThat(events).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldStartOverAfterTrafficAndStopWhenClosed()
    {
        advance(100);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{ 1 }));
        advance(100);
        advance(100);
        assertThat(events).containsExactly(
            IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT, IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT,
            IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        channel.finishAndReleaseAll();
        events.clear();
        advance(1000);
        assertThat(events).isEmpty();
    }

    @Test
    void shouldRefuseNonPositivePeriods()
    {
        assertThatThrownBy(() -> new HeartbeatHandler(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatHandler(100, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
