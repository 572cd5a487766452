package io.switchboard.engine.channel;

import io.switchboard.engine.OutboundSink;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelShardContextTest
{
    private static final OutboundSink DISCARD = (nodeId, buffer, offset, length) -> OutboundSink.SENT;

    @Test
    void shouldApplyDefaults()
    {
        final ChannelShardContext ctx = new ChannelShardContext().outboundSink(DISCARD).conclude();

        assertThat(ctx.historyBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(ctx.maxHistoryMessages()).isEqualTo(1000);
        assertThat(ctx.maxResponseBytes()).isEqualTo(120 * 1024);
        assertThat(ctx.epochBase()).isPositive();
    }

    @Test
    void shouldReadHistoryBytesFromSystemProperty()
    {
        System.setProperty(ChannelShardConfiguration.HISTORY_BYTES_PROP_NAME, "1m");
        try
        {
            assertThat(new ChannelShardContext().historyBytes()).isEqualTo(1024 * 1024);
        }
        finally
        {
            System.clearProperty(ChannelShardConfiguration.HISTORY_BYTES_PROP_NAME);
        }
    }

    @Test
    void shouldRejectInvalidSettings()
    {
        assertInvalid(new ChannelShardContext());
        assertInvalid(new ChannelShardContext().outboundSink(DISCARD).keyHasher(null));
        assertInvalid(new ChannelShardContext().outboundSink(DISCARD).historyBytes(3_000_000));
        assertInvalid(new ChannelShardContext().outboundSink(DISCARD).historyBytes(64 * 1024));
        assertInvalid(new ChannelShardContext().outboundSink(DISCARD).maxHistoryMessages(0));
        assertInvalid(new ChannelShardContext().outboundSink(DISCARD).maxHistoryMessages(70_000));
        assertInvalid(new ChannelShardContext().outboundSink(DISCARD).maxResponseBytes(0));
        assertInvalid(new ChannelShardContext().outboundSink(DISCARD).epochBase(-1));
    }

    @Test
    void shouldConcludeOnlyOnce()
    {
        final ChannelShardContext ctx = new ChannelShardContext().outboundSink(DISCARD);
        new ChannelShard(ctx);

        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalStateException.class);
    }

    private static void assertInvalid(final ChannelShardContext ctx)
    {
        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalArgumentException.class);
    }
}
