package io.switchboard.gateway;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The socket transport of the gateway's event loops. io_uring submits the writes of a whole fan-out batch to the
 * kernel in a few system calls instead of one per socket; epoll is the portable native default; NIO runs anywhere.
 * <p>
 * Immutable, thread-safe.
 */
public enum GatewayTransport
{
    /** Linux io_uring (kernel 5.14+ and not disabled by the host). */
    IO_URING("io_uring", IoUringIoHandler::newFactory, IoUringServerSocketChannel.class),
    /** Linux epoll. */
    EPOLL("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class),
    /** Java NIO. */
    NIO("nio", NioIoHandler::newFactory, NioServerSocketChannel.class);

    private final String label;
    private final Supplier<IoHandlerFactory> factory;
    private final Class<? extends ServerSocketChannel> serverChannel;

    GatewayTransport(
        final String label,
        final Supplier<IoHandlerFactory> factory,
        final Class<? extends ServerSocketChannel> serverChannel)
    {
        this.label = label;
        this.factory = factory;
        this.serverChannel = serverChannel;
    }

    /** @return the name used in configuration and logs. */
    public String label()
    {
        return label;
    }

    /** @return a factory of this transport's I/O handlers. */
    public IoHandlerFactory ioHandlerFactory()
    {
        return factory.get();
    }

    /** @return the server socket channel class. */
    public Class<? extends ServerSocketChannel> serverChannelClass()
    {
        return serverChannel;
    }

    /**
     * @return null when this transport can run here, otherwise why not.
     */
    public Throwable unavailabilityCause()
    {
        return switch (this)
        {
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            case NIO -> null;
        };
    }

    /**
     * @param name {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}, any case.
     * @return the transport: for {@code auto} the first of epoll and NIO that runs here.
     * @throws IllegalArgumentException for an unknown name.
     * @throws IllegalStateException    when the named transport cannot run on this machine, with the reason.
     */
    public static GatewayTransport select(final String name)
    {
        final String wanted = name.trim().toLowerCase(Locale.ROOT);
        if ("auto".equals(wanted))
        {
            return null == EPOLL.unavailabilityCause() ? EPOLL : NIO;
        }
        for (final GatewayTransport transport : values())
        {
            if (transport.label.equals(wanted))
            {
                final Throwable cause = transport.unavailabilityCause();
                if (null != cause)
                {
                    throw new IllegalStateException(
                        "transport " + transport.label + " is not available here: " + cause.getMessage(), cause);
                }
                return transport;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "': use auto, io_uring, epoll or nio");
    }
}
