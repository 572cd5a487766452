package io.switchboard.gateway.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A bare WebSocket client over a socket, for what the JDK client will not send: text frames holding invalid UTF-8.
 * Reads server frames one at a time (blocking, with a socket timeout).
 */
public final class RawWebSocket implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int closeCode;

    private RawWebSocket(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /**
     * @param port      the gateway's port.
     * @param pathQuery e.g. /ws?token=...
     * @return a client past the handshake.
     * @throws IOException when the handshake fails.
     */
    public static RawWebSocket connect(final int port, final String pathQuery) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int)Await.DEADLINE_MS);
        socket.setTcpNoDelay(true);
        final RawWebSocket client = new RawWebSocket(socket);
        final String key = Base64.getEncoder().encodeToString("switchboard-test".getBytes(StandardCharsets.US_ASCII));
        client.out.write(("GET " + pathQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            head.append((char)client.in.readUnsignedByte());
        }
        if (!head.toString().startsWith("HTTP/1.1 101"))
        {
            socket.close();
            throw new IOException("handshake refused: " + head);
        }
        return client;
    }

    /**
     * Send one masked text frame holding exactly these bytes.
     *
     * @param payload the frame's payload, valid UTF-8 or not.
     * @throws IOException when the socket fails.
     */
    public void sendText(final byte[] payload) throws IOException
    {
        sendFrame(0x1, payload);
    }

    /**
     * Send one masked binary frame.
     *
     * @param payload the frame's payload.
     * @throws IOException when the socket fails.
     */
    public void sendBinary(final byte[] payload) throws IOException
    {
        sendFrame(0x2, payload);
    }

    private void sendFrame(final int opcode, final byte[] payload) throws IOException
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126)
        {
            frame.write(0x80 | payload.length);
        }
        else if (payload.length <= 0xffff)
        {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        else
        {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                frame.write((int)(((long)payload.length >>> shift) & 0xff));
            }
        }
        final byte[] mask = { 1, 2, 3, 4 };
        frame.write(mask);
        for (int i = 0; i < payload.length; i++)
        {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * @return the next text frame's payload, or null for the server's close frame, whose code is then
     * {@link #closeCode()} (other frames are skipped).
     * @throws IOException when the socket fails or ends without a close frame.
     */
    public String readTextOrClose() throws IOException
    {
        while (true)
        {
            final int first = in.readUnsignedByte();
            final int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (126 == length)
            {
                length = in.readUnsignedShort();
            }
            else if (127 == length)
            {
                length = in.readLong();
            }
            final byte[] payload = new byte[(int)length];
            in.readFully(payload);
            if ((first & 0x0f) == 0x1)
            {
                return new String(payload, StandardCharsets.UTF_8);
            }
            if ((first & 0x0f) == 0x8)
            {
                closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                return null;
            }
        }
    }

    /**
     * @return the code of the close frame {@link #readTextOrClose()} met, 0 before.
     */
    public int closeCode()
    {
        return closeCode;
    }

    /**
     * @return the payload of the next text frame from the server (other frames are skipped).
     * @throws IOException when the socket fails or closes.
     */
    public String readText() throws IOException
    {
        while (true)
        {
            final int first = in.readUnsignedByte();
            final int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (126 == length)
            {
                length = in.readUnsignedShort();
            }
            else if (127 == length)
            {
                length = in.readLong();
            }
            final byte[] payload = new byte[(int)length];
            in.readFully(payload);
            if ((first & 0x0f) == 0x1)
            {
                return new String(payload, StandardCharsets.UTF_8);
            }
            if ((first & 0x0f) == 0x8)
            {
                throw new IOException("closed by the server");
            }
        }
    }

    /**
     * Read (and drop) frames until the server's close frame, never answering pings.
     *
     * @return the close code.
     * @throws IOException when the socket ends without a close frame.
     */
    public int readClose() throws IOException
    {
        while (true)
        {
            final int first = in.readUnsignedByte();
            final int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (126 == length)
            {
                length = in.readUnsignedShort();
            }
            else if (127 == length)
            {
                length = in.readLong();
            }
            final byte[] payload = new byte[(int)length];
            in.readFully(payload);
            if ((first & 0x0f) == 0x8)
            {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
        }
    }

    /**
     * Close the socket.
     *
     * @throws IOException when closing fails.
     */
    public void close() throws IOException
    {
        socket.close();
    }
}
