package io.switchboard.engine.channel;

import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

import java.util.function.IntConsumer;

import static io.switchboard.engine.channel.GatewaySlots.MASK_SLOTS;
import static io.switchboard.engine.channel.GatewaySlots.NO_SLOT;

/**
 * Which gateways are subscribed to which channels: a bit of the channel's subscriber mask for the first 64 gateways,
 * an overflow set beyond (see {@link GatewaySlots}). One subscription per channel per gateway; fan-out sends the
 * same bytes once to each subscribed gateway.
 * <p>
 * Not thread-safe: owned by one shard thread.
 */
final class Subscriptions
{
    private final ChannelTable channels;
    private final GatewaySlots gateways = new GatewaySlots();
    private final IntArrayList droppedChannels = new IntArrayList();

    Subscriptions(final ChannelTable channels)
    {
        this.channels = channels;
    }

    /**
     * @param channel dense index.
     * @param nodeId  of the gateway.
     * @return true when the subscription is new.
     */
    boolean subscribe(final int channel, final int nodeId)
    {
        final int slot = gateways.acquire(nodeId);
        final boolean added;
        if (slot < MASK_SLOTS)
        {
            final long mask = channels.subscriberMask(channel);
            added = 0 == (mask & (1L << slot));
            channels.subscriberMask(channel, mask | (1L << slot));
        }
        else
        {
            added = gateways.addOverflow(channel, slot);
        }

        if (added)
        {
            gateways.onSubscribed(slot);
        }

        return added;
    }

    /**
     * @param channel dense index.
     * @param nodeId  of the gateway.
     * @return true when the gateway was subscribed.
     */
    boolean unsubscribe(final int channel, final int nodeId)
    {
        final int slot = gateways.slot(nodeId);
        if (NO_SLOT == slot)
        {
            return false;
        }

        final boolean removed;
        if (slot < MASK_SLOTS)
        {
            final long mask = channels.subscriberMask(channel);
            removed = 0 != (mask & (1L << slot));
            channels.subscriberMask(channel, mask & ~(1L << slot));
        }
        else
        {
            removed = gateways.removeOverflow(channel, slot);
        }

        if (removed && 0 == gateways.onUnsubscribed(slot))
        {
            gateways.release(slot);
        }

        return removed;
    }

    /**
     * @param channel dense index.
     * @return true when at least one gateway is subscribed.
     */
    boolean hasSubscribers(final int channel)
    {
        return 0 != channels.subscriberMask(channel) || null != gateways.overflow(channel);
    }

    /**
     * Drop every subscription of a gateway and free its slot.
     *
     * @param nodeId  of the gateway.
     * @param dropped told of each channel that lost the gateway, after the subscription is gone.
     */
    void dropGateway(final int nodeId, final IntConsumer dropped)
    {
        final int slot = gateways.slot(nodeId);
        if (NO_SLOT == slot)
        {
            return;
        }

        if (slot < MASK_SLOTS)
        {
            // Rare event: a scan of the masks, stopped as soon as every subscription of the gateway is found.
            final long bit = 1L << slot;
            int remaining = gateways.subscriptions(slot);
            for (int channel = 0, end = channels.highWaterMark(); remaining > 0 && channel < end; channel++)
            {
                final long mask = channels.subscriberMask(channel);
                if (0 != (mask & bit))
                {
                    channels.subscriberMask(channel, mask & ~bit);
                    remaining--;
                    dropped.accept(channel);
                }
            }
        }
        else
        {
            droppedChannels.clear();
            gateways.removeOverflowEverywhere(slot, droppedChannels);
            for (int i = 0, size = droppedChannels.size(); i < size; i++)
            {
                dropped.accept(droppedChannels.getInt(i));
            }
        }
        gateways.release(slot);
    }

    /**
     * Send the same bytes once to every gateway subscribed to a channel.
     *
     * @return how many sends the sink accepted.
     */
    int fanOut(
        final int channel, final CountingSender sender, final DirectBuffer buffer, final int offset, final int length)
    {
        int sent = 0;
        long mask = channels.subscriberMask(channel);
        while (0 != mask)
        {
            final int slot = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            sent += sender.send(gateways.nodeId(slot), buffer, offset, length);
        }

        final IntHashSet overflow = gateways.overflow(channel);
        if (null != overflow)
        {
            final IntHashSet.IntIterator iterator = overflow.iterator();
            while (iterator.hasNext())
            {
                sent += sender.send(gateways.nodeId(iterator.nextValue()), buffer, offset, length);
            }
        }

        return sent;
    }

    /**
     * @return gateways holding at least one subscription.
     */
    int gatewayCount()
    {
        return gateways.gatewayCount();
    }
}
