package io.switchboard.engine.presence;

import io.switchboard.engine.OutboundSink;
import io.switchboard.engine.partition.DefaultKeyHasher;
import io.switchboard.engine.partition.KeyHasher;

/**
 * Everything a {@link PresenceShard} is built from. Fields start from {@link PresenceConfiguration} (system
 * properties or defaults); setters are fluent; {@link #conclude()} checks the whole of it once, when the shard is
 * built.
 * <p>
 * Not thread-safe: fill it on one thread, then hand it to the shard.
 */
public final class PresenceShardContext
{
    private OutboundSink outboundSink;
    private UserOwnership userOwnership = UserOwnership.ALL;
    private KeyHasher keyHasher = DefaultKeyHasher.INSTANCE;
    private int maxMessageSize = PresenceConfiguration.maxMessageSize();
    private int maxQueryUsers = PresenceConfiguration.maxQueryUsers();
    private int initialUserCapacity = PresenceConfiguration.initialUserCapacity();
    private int userPoolSize = PresenceConfiguration.userPoolSize();

    /**
     * Check the settings.
     *
     * @return this for a fluent API.
     * @throws IllegalStateException when a setting is missing or out of range.
     */
    public PresenceShardContext conclude()
    {
        require(null != outboundSink, "outboundSink is required");
        require(null != userOwnership, "userOwnership is required");
        require(null != keyHasher, "keyHasher is required");
        require(
            maxMessageSize >= PresenceConfiguration.MIN_MESSAGE_SIZE,
            "maxMessageSize must be at least " + PresenceConfiguration.MIN_MESSAGE_SIZE + ": " + maxMessageSize);
        require(maxQueryUsers > 0, "maxQueryUsers must be positive: " + maxQueryUsers);
        require(initialUserCapacity > 0, "initialUserCapacity must be positive: " + initialUserCapacity);
        require(userPoolSize >= 0, "userPoolSize must not be negative: " + userPoolSize);

        return this;
    }

    /**
     * @return where updates and errors go.
     */
    public OutboundSink outboundSink()
    {
        return outboundSink;
    }

    /**
     * @param outboundSink where updates and errors go; required.
     * @return this for a fluent API.
     */
    public PresenceShardContext outboundSink(final OutboundSink outboundSink)
    {
        this.outboundSink = outboundSink;
        return this;
    }

    /**
     * @return which users this shard holds.
     */
    public UserOwnership userOwnership()
    {
        return userOwnership;
    }

    /**
     * @param userOwnership which users this shard holds; default {@link UserOwnership#ALL}.
     * @return this for a fluent API.
     */
    public PresenceShardContext userOwnership(final UserOwnership userOwnership)
    {
        this.userOwnership = userOwnership;
        return this;
    }

    /**
     * @return hasher of user ids for the shard's table.
     */
    public KeyHasher keyHasher()
    {
        return keyHasher;
    }

    /**
     * @param keyHasher hasher of user ids for the shard's table; default {@link DefaultKeyHasher#INSTANCE}.
     * @return this for a fluent API.
     */
    public PresenceShardContext keyHasher(final KeyHasher keyHasher)
    {
        this.keyHasher = keyHasher;
        return this;
    }

    /**
     * @return largest message the shard sends, in bytes.
     */
    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    /**
     * @param maxMessageSize largest message the shard sends, in bytes.
     * @return this for a fluent API.
     * @see PresenceConfiguration#MAX_MESSAGE_SIZE_PROP_NAME
     */
    public PresenceShardContext maxMessageSize(final int maxMessageSize)
    {
        this.maxMessageSize = maxMessageSize;
        return this;
    }

    /**
     * @return most users a query may name.
     */
    public int maxQueryUsers()
    {
        return maxQueryUsers;
    }

    /**
     * @param maxQueryUsers most users a query may name.
     * @return this for a fluent API.
     * @see PresenceConfiguration#MAX_QUERY_USERS_PROP_NAME
     */
    public PresenceShardContext maxQueryUsers(final int maxQueryUsers)
    {
        this.maxQueryUsers = maxQueryUsers;
        return this;
    }

    /**
     * @return users the table is sized for at start.
     */
    public int initialUserCapacity()
    {
        return initialUserCapacity;
    }

    /**
     * @param initialUserCapacity users the table is sized for at start.
     * @return this for a fluent API.
     * @see PresenceConfiguration#INITIAL_USER_CAPACITY_PROP_NAME
     */
    public PresenceShardContext initialUserCapacity(final int initialUserCapacity)
    {
        this.initialUserCapacity = initialUserCapacity;
        return this;
    }

    /**
     * @return idle user objects kept for reuse.
     */
    public int userPoolSize()
    {
        return userPoolSize;
    }

    /**
     * @param userPoolSize idle user objects kept for reuse.
     * @return this for a fluent API.
     * @see PresenceConfiguration#USER_POOL_SIZE_PROP_NAME
     */
    public PresenceShardContext userPoolSize(final int userPoolSize)
    {
        this.userPoolSize = userPoolSize;
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }
}
