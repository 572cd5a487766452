package io.switchboard.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame the fan-out encodes once must be byte for byte what Netty's own encoder writes, and decode back to the
 * same text, at every length encoding boundary of RFC 6455 (7-bit, 16-bit, 64-bit lengths).
 */
class FanOutFrameTest
{
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 125, 126, 127, 65_535, 65_536, 200_000 })
    void shouldEncodeLikeNettyAndDecodeBack(final int length)
    {
        final String text = "é".repeat(length / 2) + "x".repeat(length % 2);
        final ByteBuf payload = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        final ByteBuf ours = FanOut.encodeTextFrame(UnpooledByteBufAllocator.DEFAULT, payload);
        assertThat(payload.refCnt()).as("payload not released").isEqualTo(1);

        final EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        encoder.writeOutbound(new TextWebSocketFrame(payload));
        final ByteBuf netty = Unpooled.buffer();
        for (ByteBuf part = encoder.readOutbound(); part != null; part = encoder.readOutbound())
        {
            netty.writeBytes(part);
            part.release();
        }
        assertThat(ByteBufUtilBytes.of(ours)).isEqualTo(ByteBufUtilBytes.of(netty));

        final EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(
            WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        decoder.writeInbound(ours);
        final TextWebSocketFrame decoded = decoder.readInbound();
        assertThat(decoded.isFinalFragment()).isTrue();
        assertThat(decoded.text()).isEqualTo(text);
        decoded.release();
        netty.release();
        assertThat(encoder.finishAndReleaseAll()).isFalse();
        assertThat(decoder.finishAndReleaseAll()).isFalse();
    }

    private static final class ByteBufUtilBytes
    {
        static byte[] of(final ByteBuf buffer)
        {
            final byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(buffer.readerIndex(), bytes);
            return bytes;
        }
    }
}
