package io.switchboard.bench.regions;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP relay that adds a fixed one-way delay in both directions: the stand-in for a long-haul link on kernels
 * without the netem qdisc. Test and benchmark tooling only, never part of the product.
 * <p>
 * Each route listens on one address and forwards to one target. Aeron receivers answer (status messages, NAKs) to
 * the source address of the data they receive, so the relay is a proper bidirectional proxy: every client source
 * address gets its own upstream socket, datagrams from the client leave towards the target from that socket, and
 * whatever the target sends to that socket goes back to the client from the listening socket. Both directions are
 * held for the route's delay; since the delay of a route is constant, one FIFO per route keeps every datagram in
 * arrival order. A datagram that the kernel will not take (send buffer full) is dropped and counted, as a router
 * would. Upstream sockets live as long as the relay (it serves a handful of clients per benchmark run).
 * <p>
 * Thread-safety: {@link #run()} owns all state and runs on one thread; {@link #close()} may be called from any
 * thread and stops it.
 */
public final class DelayRelay implements Runnable, AutoCloseable
{
    private static final int MAX_DATAGRAM = 65_536;
    private static final int POOLED_CAPACITY = 2048;
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    private static final int READ_BATCH = 256;
    private static final long SPIN_WINDOW_NS = 2_000_000L;
    private static final long PARK_NS = 50_000L;

    /**
     * One relayed link.
     *
     * @param listen  where senders address their datagrams (or where DNAT sends them).
     * @param target  where they go after the delay.
     * @param delayMs one-way delay, applied in each direction.
     */
    public record Route(InetSocketAddress listen, InetSocketAddress target, long delayMs)
    {
    }

    private final Selector selector;
    private final List<RouteState> routes = new ArrayList<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final ArrayDeque<Datagram> pool = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    // Written only by the relay thread; volatile so a test or a status line on another thread reads the latest.
    private volatile long forwarded;
    private volatile long dropped;

    /**
     * Bind every route's listening socket.
     *
     * @param routes to relay.
     * @throws IOException when a socket cannot be bound.
     */
    public DelayRelay(final List<Route> routes) throws IOException
    {
        selector = Selector.open();
        for (final Route route : routes)
        {
            final DatagramChannel listen = open().bind(route.listen());
            final RouteState state = new RouteState(route, listen);
            listen.register(selector, SelectionKey.OP_READ, state);
            this.routes.add(state);
        }
    }

    /**
     * Relay until {@link #close()}.
     */
    public void run()
    {
        try
        {
            while (running)
            {
                long nextDueNs = Long.MAX_VALUE;
                final long nowNs = System.nanoTime();
                for (final RouteState route : routes)
                {
                    nextDueNs = Math.min(nextDueNs, route.sendDue(nowNs));
                }
                final long waitNs = nextDueNs - nowNs;
                final int ready;
                if (Long.MAX_VALUE == nextDueNs)
                {
                    ready = selector.select(100);
                }
                else if (waitNs > SPIN_WINDOW_NS)
                {
                    // select() sleeps in whole milliseconds: wake a millisecond early and finish with short parks.
                    ready = selector.select((waitNs - 1_000_000L) / 1_000_000L);
                }
                else
                {
                    ready = selector.selectNow();
                    if (0 == ready && waitNs > 0)
                    {
                        LockSupport.parkNanos(Math.min(waitNs, PARK_NS));
                    }
                }
                if (ready > 0)
                {
                    receiveReady();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("relay failed", ex);
        }
        finally
        {
            closeSockets();
            stopped.countDown();
        }
    }

    /**
     * Stop relaying and close every socket; waits for the relay thread to finish.
     */
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return datagrams sent on after their delay.
     */
    public long forwarded()
    {
        return forwarded;
    }

    /**
     * @return datagrams the kernel refused (send buffer full) or that could not be sent.
     */
    public long dropped()
    {
        return dropped;
    }

    private void receiveReady() throws IOException
    {
        final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext())
        {
            final SelectionKey key = keys.next();
            keys.remove();
            final DatagramChannel channel = (DatagramChannel)key.channel();
            final Object attachment = key.attachment();
            for (int i = 0; i < READ_BATCH; i++)
            {
                receiveBuffer.clear();
                final SocketAddress source = channel.receive(receiveBuffer);
                if (null == source)
                {
                    break;
                }
                receiveBuffer.flip();
                final long dueNs = System.nanoTime();
                if (attachment instanceof RouteState route)
                {
                    final Upstream upstream = route.upstreamFor((InetSocketAddress)source);
                    route.enqueue(dueNs, upstream.channel, route.route.target(), receiveBuffer);
                }
                else
                {
                    final Upstream upstream = (Upstream)attachment;
                    upstream.route.enqueue(dueNs, upstream.route.listen, upstream.client, receiveBuffer);
                }
            }
        }
    }

    private void closeSockets()
    {
        for (final RouteState route : routes)
        {
            closeQuietly(route.listen);
            for (final Upstream upstream : route.upstreams.values())
            {
                closeQuietly(upstream.channel);
            }
        }
        closeQuietly(selector);
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ignore)
        {
            // closing on the way out: nothing left to do with the error
        }
    }

    private static DatagramChannel open() throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        return channel;
    }

    private Datagram acquire(final int length)
    {
        final Datagram pooled = length <= POOLED_CAPACITY ? pool.poll() : null;
        return null != pooled ? pooled : new Datagram(Math.max(length, POOLED_CAPACITY));
    }

    private final class RouteState
    {
        final Route route;
        final DatagramChannel listen;
        final long delayNs;
        final Map<InetSocketAddress, Upstream> upstreams = new HashMap<>();
        final ArrayDeque<Datagram> queue = new ArrayDeque<>();

        RouteState(final Route route, final DatagramChannel listen)
        {
            this.route = route;
            this.listen = listen;
            this.delayNs = route.delayMs() * 1_000_000L;
        }

        Upstream upstreamFor(final InetSocketAddress client) throws IOException
        {
            Upstream upstream = upstreams.get(client);
            if (null == upstream)
            {
                final DatagramChannel channel = open().bind(null);
                upstream = new Upstream(this, client, channel);
                channel.register(selector, SelectionKey.OP_READ, upstream);
                upstreams.put(client, upstream);
            }
            return upstream;
        }

        void enqueue(
            final long receivedNs, final DatagramChannel from, final InetSocketAddress to, final ByteBuffer data)
        {
            final Datagram datagram = acquire(data.remaining());
            datagram.dueNs = receivedNs + delayNs;
            datagram.from = from;
            datagram.to = to;
            datagram.data.clear();
            datagram.data.put(data).flip();
            queue.addLast(datagram);
        }

        long sendDue(final long nowNs)
        {
            Datagram head;
            while (null != (head = queue.peekFirst()) && head.dueNs - nowNs <= 0)
            {
                queue.pollFirst();
                try
                {
                    if (head.from.send(head.data, head.to) > 0)
                    {
                        forwarded++;
                    }
                    else
                    {
                        dropped++;
                    }
                }
                catch (final IOException ex)
                {
                    dropped++;
                }
                if (head.data.capacity() == POOLED_CAPACITY)
                {
                    pool.addLast(head);
                }
            }
            return null == head ? Long.MAX_VALUE : head.dueNs;
        }
    }

    private static final class Upstream
    {
        final RouteState route;
        final InetSocketAddress client;
        final DatagramChannel channel;

        Upstream(final RouteState route, final InetSocketAddress client, final DatagramChannel channel)
        {
            this.route = route;
            this.client = client;
            this.channel = channel;
        }
    }

    private static final class Datagram
    {
        final ByteBuffer data;
        long dueNs;
        DatagramChannel from;
        InetSocketAddress to;

        Datagram(final int capacity)
        {
            data = ByteBuffer.allocateDirect(capacity);
        }
    }

    /**
     * Parse routes: repeated groups of {@code --listen HOST:PORT --target HOST:PORT --delay-ms N}.
     *
     * @param args command line.
     * @return the routes, in order.
     * @throws IllegalArgumentException showing the expected form.
     */
    public static List<Route> parseRoutes(final String[] args)
    {
        final List<Route> routes = new ArrayList<>();
        InetSocketAddress listen = null;
        InetSocketAddress target = null;
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--listen" -> listen = address(value);
                case "--target" -> target = address(value);
                case "--delay-ms" ->
                {
                    if (null == listen || null == target || null == value)
                    {
                        throw new IllegalArgumentException("--delay-ms must follow --listen and --target");
                    }
                    routes.add(new Route(listen, target, Long.parseLong(value)));
                    listen = null;
                    target = null;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                    + "': expected groups of --listen HOST:PORT --target HOST:PORT --delay-ms N");
            }
            i++;
        }
        if (routes.isEmpty() || null != listen || null != target)
        {
            throw new IllegalArgumentException("expected groups of --listen HOST:PORT --target HOST:PORT --delay-ms N");
        }
        return routes;
    }

    private static InetSocketAddress address(final String text)
    {
        final int colon = null == text ? -1 : text.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("bad address '" + text + "': expected HOST:PORT");
        }
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    /**
     * Run routes until SIGTERM: prints {@code READY routes=N} once every socket is bound, and its counts on exit.
     *
     * @param args groups of {@code --listen HOST:PORT --target HOST:PORT --delay-ms N}.
     * @throws IOException when a socket cannot be bound.
     */
    public static void main(final String[] args) throws IOException
    {
        final PrintStream out = System.out;
        final List<Route> routes = parseRoutes(args);
        final DelayRelay relay = new DelayRelay(routes);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            relay.close();
            out.println("relay: forwarded=" + relay.forwarded() + " dropped=" + relay.dropped());
            out.flush();
        }, "relay-shutdown"));
        for (final Route route : routes)
        {
            out.println("relay: " + route.listen() + " -> " + route.target() + " delay " + route.delayMs() + " ms");
        }
        out.println("READY routes=" + routes.size());
        out.flush();
        relay.run();
    }
}
