package io.switchboard.engine.reaction;

import io.switchboard.codecs.MessageHeaderEncoder;
import io.switchboard.codecs.ReactionBatchEncoder;
import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns single reactions into one ReactionBatch per (channel, target) per window: counts per emoji, so that a burst
 * of reactions costs each subscribed gateway one message per window instead of one per reaction.
 * <p>
 * A window opens at the first reaction for its (channel, target) and lasts the configured length:
 * {@code [start, start + window)}. {@link #flushDue} emits every window that has ended and forgets it; the next
 * reaction for that key opens a new window. A reaction that arrives after its key's window ended but before the
 * flush opens the next window rather than joining a window it does not belong to. Only windows that saw a reaction
 * exist, so an empty window is never emitted.
 * <p>
 * Keys are the full channel and target names: a 64-bit hash finds them, the bytes decide, so colliding names are
 * never counted together. Because every window has the same length and times only move forward, windows end in the
 * order they opened: the open windows form a queue, and a flush looks only at its head. Window objects are pooled,
 * and the batch is encoded into one reused buffer.
 * <p>
 * Times are whatever clock the caller passes to {@link #add} and {@link #flushDue}, and they are copied into the
 * batch's windowStartNs and windowEndNs, which the schema defines as wall-clock nanoseconds: pass an epoch clock
 * (such as Agrona's {@code EpochNanoClock}) for both, not {@link System#nanoTime()}.
 * <p>
 * Not thread-safe: owned by one shard thread.
 */
public final class ReactionBatcher
{
    private static final int MAX_NAME_LENGTH = 1024;

    private final long windowNs;
    private final int maxEmojiPerWindow;
    private final int maxPooled;
    private final KeyHasher hasher;
    private final Long2ObjectHashMap<ReactionWindow> currentByKey =
        new Long2ObjectHashMap<>(64, Hashing.DEFAULT_LOAD_FACTOR);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReactionBatchEncoder batchEncoder = new ReactionBatchEncoder();
    private final UnsafeBuffer buffer;

    private ReactionWindow dueHead;
    private ReactionWindow dueTail;
    private ReactionWindow pool;
    private int pooled;
    private int openWindows;

    private long reactionsAdded;
    private long reactionsDropped;
    private long batchesEmitted;

    /**
     * A batcher with the settings of {@link ReactionConfiguration} and {@link DefaultKeyHasher#INSTANCE}.
     */
    public ReactionBatcher()
    {
        this(ReactionConfiguration.windowNs(), ReactionConfiguration.maxEmojiPerWindow(),
            ReactionConfiguration.windowPoolSize(), DefaultKeyHasher.INSTANCE);
    }

    /**
     * @param windowNs          length of a window, positive.
     * @param maxEmojiPerWindow distinct emoji counted per window, positive.
     * @param windowPoolSize    idle window objects kept for reuse.
     * @param hasher            of names, to find a (channel, target) quickly.
     */
    public ReactionBatcher(
        final long windowNs, final int maxEmojiPerWindow, final int windowPoolSize, final KeyHasher hasher)
    {
        if (windowNs <= 0 || maxEmojiPerWindow <= 0 || windowPoolSize < 0 || null == hasher)
        {
            throw new IllegalArgumentException("windowNs=" + windowNs + " maxEmojiPerWindow=" + maxEmojiPerWindow +
                " windowPoolSize=" + windowPoolSize + " hasher=" + hasher);
        }

        this.windowNs = windowNs;
        this.maxEmojiPerWindow = maxEmojiPerWindow;
        this.maxPooled = windowPoolSize;
        this.hasher = hasher;

        final int longestBatch = MessageHeaderEncoder.ENCODED_LENGTH + ReactionBatchEncoder.BLOCK_LENGTH +
            ReactionBatchEncoder.CountsEncoder.HEADER_SIZE +
            maxEmojiPerWindow * (ReactionBatchEncoder.CountsEncoder.sbeBlockLength() +
            ReactionBatchEncoder.CountsEncoder.emojiHeaderLength() + MAX_NAME_LENGTH) +
            ReactionBatchEncoder.channelHeaderLength() + ReactionBatchEncoder.targetHeaderLength() +
            2 * MAX_NAME_LENGTH;
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.align(longestBatch, 64), 64));
    }

    /**
     * Count one reaction.
     *
     * @param channel       holding the channel name.
     * @param channelOffset of its first byte.
     * @param channelLength in bytes, at most 1024.
     * @param target        holding the target (message id) name.
     * @param targetOffset  of its first byte.
     * @param targetLength  in bytes, at most 1024.
     * @param emoji         holding the emoji name.
     * @param emojiOffset   of its first byte.
     * @param emojiLength   in bytes, at most 1024.
     * @param nowNs         time of the reaction, never earlier than the previous call's.
     * @return true when counted, false when dropped because the window has too many distinct emoji.
     */
    public boolean add(
        final DirectBuffer channel,
        final int channelOffset,
        final int channelLength,
        final DirectBuffer target,
        final int targetOffset,
        final int targetLength,
        final DirectBuffer emoji,
        final int emojiOffset,
        final int emojiLength,
        final long nowNs)
    {
        final long key = hasher.hash(channel, channelOffset, channelLength) * 0x9E3779B97F4A7C15L +
            hasher.hash(target, targetOffset, targetLength);

        ReactionWindow window = currentByKey.get(key);
        while (null != window &&
            !window.isFor(channel, channelOffset, channelLength, target, targetOffset, targetLength))
        {
            window = window.nextWithSameKey;
        }

        if (null != window && nowNs - window.endNs >= 0)
        {
            // Ended but not flushed yet: it stays in the due queue as it is, and this reaction opens the next one.
            unlinkCurrent(window);
            window = null;
        }

        if (null == window)
        {
            window = open(key, channel, channelOffset, channelLength, target, targetOffset, targetLength, nowNs);
        }

        if (window.count(emoji, emojiOffset, emojiLength, maxEmojiPerWindow))
        {
            reactionsAdded++;
            return true;
        }

        reactionsDropped++;
        return false;
    }

    /**
     * Emit and forget every window that has ended by {@code nowNs}.
     *
     * @param nowNs    the current time, on the clock given to {@link #add}.
     * @param consumer receives one ReactionBatch per ended window.
     * @return number of batches emitted.
     */
    public int flushDue(final long nowNs, final ReactionBatchConsumer consumer)
    {
        int emitted = 0;
        while (null != dueHead && nowNs - dueHead.endNs >= 0)
        {
            final ReactionWindow window = dueHead;
            dueHead = window.nextDue;
            if (null == dueHead)
            {
                dueTail = null;
            }
            if (window.current)
            {
                unlinkCurrent(window);
            }
            openWindows--;

            try
            {
                emit(window, consumer);
                emitted++;
            }
            finally
            {
                release(window);
            }
        }

        return emitted;
    }

    /**
     * @return length of a window in nanoseconds.
     */
    public long windowNs()
    {
        return windowNs;
    }

    /**
     * @return windows holding reactions not emitted yet.
     */
    public int openWindows()
    {
        return openWindows;
    }

    /**
     * @return reactions counted.
     */
    public long reactionsAdded()
    {
        return reactionsAdded;
    }

    /**
     * @return reactions dropped because their window already had the most distinct emoji allowed.
     */
    public long reactionsDropped()
    {
        return reactionsDropped;
    }

    /**
     * @return batches handed to consumers.
     */
    public long batchesEmitted()
    {
        return batchesEmitted;
    }

    private ReactionWindow open(
        final long key,
        final DirectBuffer channel,
        final int channelOffset,
        final int channelLength,
        final DirectBuffer target,
        final int targetOffset,
        final int targetLength,
        final long nowNs)
    {
        ReactionWindow window = pool;
        if (null == window)
        {
            window = new ReactionWindow();
        }
        else
        {
            pool = window.nextDue;
            window.nextDue = null;
            pooled--;
        }

        window.key = key;
        window.channel.set(channel, channelOffset, channelLength);
        window.target.set(target, targetOffset, targetLength);
        window.startNs = nowNs;
        window.endNs = nowNs + windowNs;
        window.current = true;
        window.nextWithSameKey = currentByKey.get(key);
        currentByKey.put(key, window);

        if (null == dueTail)
        {
            dueHead = window;
        }
        else
        {
            dueTail.nextDue = window;
        }
        dueTail = window;
        openWindows++;

        return window;
    }

    private void unlinkCurrent(final ReactionWindow window)
    {
        final ReactionWindow head = currentByKey.get(window.key);
        if (head == window)
        {
            if (null == window.nextWithSameKey)
            {
                currentByKey.remove(window.key);
            }
            else
            {
                currentByKey.put(window.key, window.nextWithSameKey);
            }
        }
        else
        {
            ReactionWindow previous = head;
            while (previous.nextWithSameKey != window)
            {
                previous = previous.nextWithSameKey;
            }
            previous.nextWithSameKey = window.nextWithSameKey;
        }
        window.nextWithSameKey = null;
        window.current = false;
    }

    private void emit(final ReactionWindow window, final ReactionBatchConsumer consumer)
    {
        final ReactionBatchEncoder.CountsEncoder counts = batchEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .windowStartNs(window.startNs)
            .windowEndNs(window.endNs)
            .countsCount(window.emojiCount);
        for (int i = 0; i < window.emojiCount; i++)
        {
            counts.next()
                .reactions(window.counts[i])
                .putEmoji(window.emojiNames, window.emojiOffsets[i], window.emojiLengths[i]);
        }
        batchEncoder
            .putChannel(window.channel.buffer(), 0, window.channel.length())
            .putTarget(window.target.buffer(), 0, window.target.length());

        batchesEmitted++;
        consumer.onBatch(
            window.channel.buffer(), 0, window.channel.length(),
            buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + batchEncoder.encodedLength());
    }

    private void release(final ReactionWindow window)
    {
        window.clear();
        if (pooled < maxPooled)
        {
            window.nextDue = pool;
            pool = window;
            pooled++;
        }
    }
}
