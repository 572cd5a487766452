package io.switchboard.engine.presence;

import org.agrona.SystemUtil;

/**
 * Settings of a presence shard: each a system property name, a default and a getter that reads the property.
 * {@link PresenceShardContext} starts from these.
 * <p>
 * Thread-safe: stateless.
 */
public final class PresenceConfiguration
{
    /**
     * Largest PresenceUpdate the shard sends, in bytes ("60k" style sizes accepted). Longer lists of updates are
     * split over several messages.
     */
    public static final String MAX_MESSAGE_SIZE_PROP_NAME = "switchboard.presence.max.message.size";

    /**
     * Default of {@link #MAX_MESSAGE_SIZE_PROP_NAME}: below Aeron's default maximum message size on a 64 KiB term
     * with room to spare for framing.
     */
    public static final int MAX_MESSAGE_SIZE_DEFAULT = 60 * 1024;

    /**
     * Smallest allowed message size: one update naming the longest user id (1024 bytes) must fit.
     */
    public static final int MIN_MESSAGE_SIZE = PresenceSender.LONGEST_SINGLE_UPDATE_LENGTH;

    /**
     * Most users one PresenceQuery may name; larger queries are answered with ErrorResponse TOO_LARGE.
     */
    public static final String MAX_QUERY_USERS_PROP_NAME = "switchboard.presence.max.query.users";

    /**
     * Default of {@link #MAX_QUERY_USERS_PROP_NAME}, the limit the client protocol promises.
     */
    public static final int MAX_QUERY_USERS_DEFAULT = 500;

    /**
     * Users the table is sized for at start, so a warm shard does not rehash while filling.
     */
    public static final String INITIAL_USER_CAPACITY_PROP_NAME = "switchboard.presence.initial.user.capacity";

    /**
     * Default of {@link #INITIAL_USER_CAPACITY_PROP_NAME}.
     */
    public static final int INITIAL_USER_CAPACITY_DEFAULT = 1024;

    /**
     * Idle user objects kept for reuse; beyond this they are left to the garbage collector.
     */
    public static final String USER_POOL_SIZE_PROP_NAME = "switchboard.presence.user.pool.size";

    /**
     * Default of {@link #USER_POOL_SIZE_PROP_NAME}.
     */
    public static final int USER_POOL_SIZE_DEFAULT = 1024;

    private PresenceConfiguration()
    {
    }

    /**
     * @return {@link #MAX_MESSAGE_SIZE_PROP_NAME} or its default.
     */
    public static int maxMessageSize()
    {
        return SystemUtil.getSizeAsInt(MAX_MESSAGE_SIZE_PROP_NAME, MAX_MESSAGE_SIZE_DEFAULT);
    }

    /**
     * @return {@link #MAX_QUERY_USERS_PROP_NAME} or its default.
     */
    public static int maxQueryUsers()
    {
        return Integer.getInteger(MAX_QUERY_USERS_PROP_NAME, MAX_QUERY_USERS_DEFAULT);
    }

    /**
     * @return {@link #INITIAL_USER_CAPACITY_PROP_NAME} or its default.
     */
    public static int initialUserCapacity()
    {
        return Integer.getInteger(INITIAL_USER_CAPACITY_PROP_NAME, INITIAL_USER_CAPACITY_DEFAULT);
    }

    /**
     * @return {@link #USER_POOL_SIZE_PROP_NAME} or its default.
     */
    public static int userPoolSize()
    {
        return Integer.getInteger(USER_POOL_SIZE_PROP_NAME, USER_POOL_SIZE_DEFAULT);
    }
}
