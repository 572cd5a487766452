package io.switchboard.engine.presence;

import io.switchboard.engine.partition.KeyHasher;
import org.agrona.DirectBuffer;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Users of one shard by name. The map is keyed by the 64-bit hash of the name and users whose names collide on it
 * are chained, every lookup comparing the full name, so a collision costs a comparison, never a mix-up.
 * <p>
 * Removed users go to a bounded pool and are reused for new users, so churn does not allocate.
 * <p>
 * Not thread-safe: owned by the shard thread.
 */
final class UserTable
{
    private final KeyHasher hasher;
    private final Long2ObjectHashMap<UserPresence> byKey;
    private final int maxPooled;
    private UserPresence pool;
    private int pooled;
    private int size;
    private int nextIdentity;

    UserTable(final KeyHasher hasher, final int initialCapacity, final int maxPooled)
    {
        this.hasher = hasher;
        this.byKey = new Long2ObjectHashMap<>(initialCapacity, Hashing.DEFAULT_LOAD_FACTOR);
        this.maxPooled = maxPooled;
    }

    int size()
    {
        return size;
    }

    /**
     * @return the user, or null when the shard knows nothing about it.
     */
    UserPresence find(final DirectBuffer buffer, final int offset, final int length)
    {
        return findInChain(byKey.get(hasher.hash(buffer, offset, length)), buffer, offset, length);
    }

    UserPresence findOrCreate(final DirectBuffer buffer, final int offset, final int length)
    {
        final long key = hasher.hash(buffer, offset, length);
        final UserPresence head = byKey.get(key);
        final UserPresence existing = findInChain(head, buffer, offset, length);
        if (null != existing)
        {
            return existing;
        }

        final UserPresence user = acquire();
        user.key = key;
        user.name.set(buffer, offset, length);
        user.nextWithSameKey = head;
        byKey.put(key, user);
        size++;

        return user;
    }

    /**
     * Forget a user and keep its object for reuse; the caller must hold no other reference to it.
     */
    void remove(final UserPresence user)
    {
        final UserPresence head = byKey.get(user.key);
        if (head == user)
        {
            if (null == user.nextWithSameKey)
            {
                byKey.remove(user.key);
            }
            else
            {
                byKey.put(user.key, user.nextWithSameKey);
            }
        }
        else
        {
            UserPresence previous = head;
            while (previous.nextWithSameKey != user)
            {
                previous = previous.nextWithSameKey;
            }
            previous.nextWithSameKey = user.nextWithSameKey;
        }
        size--;

        release(user);
    }

    private static UserPresence findInChain(
        final UserPresence head, final DirectBuffer buffer, final int offset, final int length)
    {
        for (UserPresence user = head; null != user; user = user.nextWithSameKey)
        {
            if (user.name.equalsName(buffer, offset, length))
            {
                return user;
            }
        }

        return null;
    }

    private UserPresence acquire()
    {
        final UserPresence user = pool;
        if (null == user)
        {
            return new UserPresence(nextIdentity++);
        }

        pool = user.nextWithSameKey;
        user.nextWithSameKey = null;
        pooled--;

        return user;
    }

    private void release(final UserPresence user)
    {
        user.clear();
        if (pooled < maxPooled)
        {
            user.nextWithSameKey = pool;
            pool = user;
            pooled++;
        }
    }
}
