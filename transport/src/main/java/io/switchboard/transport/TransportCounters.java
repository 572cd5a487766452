package io.switchboard.transport;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.switchboard.codecs.Rejection;
import org.agrona.CloseHelper;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's Aeron counters: visible to Aeron's AeronStat tool next to the driver's own, named
 * "switchboard &lt;node&gt;: ...". Increments are atomic, so shard threads and the node agent may share them.
 * <p>
 * Thread-safe.
 */
public final class TransportCounters implements AutoCloseable
{
    /** Counter type id for every Switchboard counter (user range, above Aeron's reserved ids). */
    public static final int SWITCHBOARD_COUNTER_TYPE_ID = 7_301_000;

    private final List<Counter> all = new ArrayList<>();
    private final Counter[] rejected = new Counter[Rejection.values().length];
    /** Messages that passed validation. */
    public final Counter inboundMessages;
    /** Messages of a template this node's roles do not handle. */
    public final Counter inboundUnhandled;
    /** Times a full shard ring pushed back on the inbound stream (Aeron then holds the sender). */
    public final Counter shardBackPressure;
    /** Offers retried because of BACK_PRESSURED or ADMIN_ACTION. */
    public final Counter offerRetries;
    /** Offers abandoned after the retry bound. */
    public final Counter offerBackPressureFailures;
    /** Offers to a peer that was not connected. */
    public final Counter offerNotConnected;
    /** Offers to a closed publication or past its max position. */
    public final Counter offerClosed;
    /** Messages larger than the publication's max message length. */
    public final Counter offerTooLarge;
    /** Offers to a node this node has no address for. */
    public final Counter offerUnknownPeer;
    /** Peers declared lost. */
    public final Counter peersLost;
    /** Heartbeats received. */
    public final Counter heartbeatsReceived;

    /**
     * @param aeron    client that allocates the counters in the driver's CnC file.
     * @param nodeName prefix of every label.
     */
    public TransportCounters(final Aeron aeron, final String nodeName)
    {
        final String prefix = "switchboard " + nodeName + ": ";
        for (final Rejection rejection : Rejection.values())
        {
            if (Rejection.NONE != rejection)
            {
                rejected[rejection.ordinal()] = add(aeron, prefix + "inbound rejected " + rejection.name());
            }
        }
        inboundMessages = add(aeron, prefix + "inbound messages");
        inboundUnhandled = add(aeron, prefix + "inbound unhandled (role not served)");
        shardBackPressure = add(aeron, prefix + "shard ring full, inbound held");
        offerRetries = add(aeron, prefix + "offer retries (back-pressured/admin)");
        offerBackPressureFailures = add(aeron, prefix + "offer failed: back-pressured past bound");
        offerNotConnected = add(aeron, prefix + "offer failed: not connected");
        offerClosed = add(aeron, prefix + "offer failed: closed/max position");
        offerTooLarge = add(aeron, prefix + "offer failed: too large");
        offerUnknownPeer = add(aeron, prefix + "offer failed: unknown peer");
        peersLost = add(aeron, prefix + "peers lost");
        heartbeatsReceived = add(aeron, prefix + "heartbeats received");
    }

    private Counter add(final Aeron aeron, final String label)
    {
        final Counter counter = aeron.addCounter(SWITCHBOARD_COUNTER_TYPE_ID, label);
        all.add(counter);
        return counter;
    }

    /**
     * @param rejection why a message was refused; NONE is ignored.
     */
    public void onRejected(final Rejection rejection)
    {
        final Counter counter = rejected[rejection.ordinal()];
        if (null != counter)
        {
            counter.increment();
        }
    }

    /**
     * @return messages rejected for any reason.
     */
    public long rejectedTotal()
    {
        long total = 0;
        for (final Counter counter : rejected)
        {
            if (null != counter)
            {
                total += counter.get();
            }
        }
        return total;
    }

    /**
     * @param rejection a reason.
     * @return messages rejected for it.
     */
    public long rejected(final Rejection rejection)
    {
        final Counter counter = rejected[rejection.ordinal()];
        return null == counter ? 0 : counter.get();
    }

    /**
     * Free the counters in the driver.
     */
    public void close()
    {
        CloseHelper.closeAll(all);
    }
}
