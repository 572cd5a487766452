package io.switchboard.engine.shard;

import org.agrona.ExpandableArrayBuffer;

/**
 * A pre-allocated ring slot: either a copy of one inbound SBE message or a timer tick. The buffer grows to the
 * largest message the slot has carried and is then reused, so the steady state allocates nothing.
 * <p>
 * Owned by the ring: written by the producer between claim and publish, read by the shard thread after.
 */
final class ShardEvent
{
    static final int MESSAGE = 1;
    static final int TICK = 2;

    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    int kind;
    int length;
    long timestampNs;
}
