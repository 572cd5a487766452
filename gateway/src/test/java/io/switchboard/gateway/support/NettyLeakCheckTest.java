package io.switchboard.gateway.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leak check sees a leak: a buffer dropped without release is reported with its hint. The report is taken out
 * of the record here, so this class's own afterAll passes.
 */
class NettyLeakCheckTest
{
    private static final String HINT = "deliberately leaked by NettyLeakCheckTest";

    @Test
    void shouldRunWithParanoidLeakDetection()
    {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void shouldRecordABufferThatWasNeverReleased()
    {
        NettyLeakCheck.collect();
        leak();

        final List<String> leaks = NettyLeakCheck.collect();

        assertThat(leaks).anySatisfy(report -> assertThat(report).contains("ByteBuf").contains(HINT));
    }

    @Test
    void shouldRecordNothingWhenEveryBufferIsReleased()
    {
        NettyLeakCheck.collect();
        final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.touch(HINT);
        buffer.writeLong(42);
        buffer.release();

        assertThat(NettyLeakCheck.collect()).isEmpty();
    }

    private static void leak()
    {
        final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(42);
        buffer.touch(HINT);
    }
}
