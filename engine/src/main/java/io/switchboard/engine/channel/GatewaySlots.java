package io.switchboard.engine.channel;

import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

import java.util.Arrays;

/**
 * Gateways that hold subscriptions on a shard, each given a dense slot while it has any. Slots below
 * {@link #MASK_SLOTS} are bits of a channel's 64-bit subscriber mask, which costs nothing extra per channel; a
 * gateway beyond the first 64 gets a higher slot whose subscriptions live in per-channel overflow sets, so any
 * number of gateways works while the common case stays one long per channel. Low slots are handed out first.
 * <p>
 * A slot is released when its gateway's last subscription goes (unsubscribe or node lost), so gateways that come
 * and go do not leak slots.
 * <p>
 * Not thread-safe: owned by one shard thread.
 */
final class GatewaySlots
{
    static final int MASK_SLOTS = 64;
    static final int NO_SLOT = -1;

    private final Int2IntHashMap slotByNode = new Int2IntHashMap(NO_SLOT);
    private final IntArrayList freeOverflowSlots = new IntArrayList();
    private final Int2ObjectHashMap<IntHashSet> overflowByChannel = new Int2ObjectHashMap<>();
    private int[] nodeBySlot = new int[MASK_SLOTS];
    private int[] subscriptions = new int[MASK_SLOTS];
    private long freeMaskSlots = -1L;
    private int nextOverflowSlot = MASK_SLOTS;

    /**
     * @param nodeId of a gateway.
     * @return its slot, or {@link #NO_SLOT} when it holds no subscription.
     */
    int slot(final int nodeId)
    {
        return slotByNode.get(nodeId);
    }

    /**
     * @param nodeId of a gateway.
     * @return its slot, newly assigned when it had none.
     */
    int acquire(final int nodeId)
    {
        int slot = slotByNode.get(nodeId);
        if (NO_SLOT == slot)
        {
            if (0 != freeMaskSlots)
            {
                slot = Long.numberOfTrailingZeros(freeMaskSlots);
                freeMaskSlots &= ~(1L << slot);
            }
            else if (!freeOverflowSlots.isEmpty())
            {
                slot = freeOverflowSlots.popInt();
            }
            else
            {
                slot = nextOverflowSlot++;
                if (slot == nodeBySlot.length)
                {
                    nodeBySlot = Arrays.copyOf(nodeBySlot, slot * 2);
                    subscriptions = Arrays.copyOf(subscriptions, slot * 2);
                }
            }

            nodeBySlot[slot] = nodeId;
            subscriptions[slot] = 0;
            slotByNode.put(nodeId, slot);
        }

        return slot;
    }

    /**
     * Free a slot; every subscription of it must already be gone.
     *
     * @param slot held by a gateway.
     */
    void release(final int slot)
    {
        slotByNode.remove(nodeBySlot[slot]);
        subscriptions[slot] = 0;
        if (slot < MASK_SLOTS)
        {
            freeMaskSlots |= 1L << slot;
        }
        else
        {
            freeOverflowSlots.pushInt(slot);
        }
    }

    /**
     * @param slot held by a gateway.
     * @return node id of that gateway.
     */
    int nodeId(final int slot)
    {
        return nodeBySlot[slot];
    }

    /**
     * @param slot held by a gateway.
     * @return number of channels it is subscribed to on this shard.
     */
    int subscriptions(final int slot)
    {
        return subscriptions[slot];
    }

    void onSubscribed(final int slot)
    {
        subscriptions[slot]++;
    }

    /**
     * @param slot that lost one subscription.
     * @return subscriptions it has left.
     */
    int onUnsubscribed(final int slot)
    {
        return --subscriptions[slot];
    }

    /**
     * @return gateways holding a slot.
     */
    int gatewayCount()
    {
        return slotByNode.size();
    }

    /**
     * @param channel dense index.
     * @param slot    at or above {@link #MASK_SLOTS}.
     * @return true when the subscription is new.
     */
    boolean addOverflow(final int channel, final int slot)
    {
        IntHashSet slots = overflowByChannel.get(channel);
        if (null == slots)
        {
            slots = new IntHashSet(8);
            overflowByChannel.put(channel, slots);
        }

        return slots.add(slot);
    }

    /**
     * @param channel dense index.
     * @param slot    at or above {@link #MASK_SLOTS}.
     * @return true when the subscription existed.
     */
    boolean removeOverflow(final int channel, final int slot)
    {
        final IntHashSet slots = overflowByChannel.get(channel);
        if (null == slots || !slots.remove(slot))
        {
            return false;
        }

        if (slots.isEmpty())
        {
            overflowByChannel.remove(channel);
        }

        return true;
    }

    /**
     * @param channel dense index.
     * @return overflow slots subscribed to it, or null when none.
     */
    IntHashSet overflow(final int channel)
    {
        return overflowByChannel.isEmpty() ? null : overflowByChannel.get(channel);
    }

    /**
     * Drop an overflow slot from every channel, for a lost gateway.
     *
     * @param slot     at or above {@link #MASK_SLOTS}.
     * @param channels receives every channel the slot was removed from.
     */
    void removeOverflowEverywhere(final int slot, final IntArrayList channels)
    {
        final Int2ObjectHashMap<IntHashSet>.EntryIterator iterator = overflowByChannel.entrySet().iterator();
        while (iterator.hasNext())
        {
            iterator.next();
            final IntHashSet slots = iterator.getValue();
            if (slots.remove(slot))
            {
                channels.addInt(iterator.getIntKey());
                if (slots.isEmpty())
                {
                    iterator.remove();
                }
            }
        }
    }
}
