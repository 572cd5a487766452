package io.switchboard.engine.partition;

import org.agrona.DirectBuffer;

/**
 * Turns a channel name or user id (UTF-8 bytes) into a 64-bit key. Keys may collide: every structure keyed by
 * them also compares the full name, so a collision costs a probe, never a wrong delivery. Tests substitute a
 * hasher that collides on purpose.
 * <p>
 * Implementations must be stateless and thread-safe.
 */
@FunctionalInterface
public interface KeyHasher
{
    /**
     * @param buffer holding the name.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the 64-bit key.
     */
    long hash(DirectBuffer buffer, int offset, int length);
}
