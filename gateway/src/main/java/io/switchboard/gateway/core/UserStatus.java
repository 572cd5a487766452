package io.switchboard.gateway.core;

/**
 * A user's presence as the client protocol names it.
 *
 * @param user   the user.
 * @param status online, away or offline.
 */
public record UserStatus(String user, String status)
{
}
