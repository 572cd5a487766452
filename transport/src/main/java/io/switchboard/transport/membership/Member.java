package io.switchboard.transport.membership;

import io.switchboard.transport.Role;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;

/**
 * One node as registered in ZooKeeper: what peers need to reach it and to place work on it.
 *
 * @param nodeId   cluster-unique id.
 * @param name     for logs.
 * @param roles    roles it plays.
 * @param region   where it runs.
 * @param endpoint Aeron channel it receives on.
 * @param url      public WebSocket URL of its gateway, or empty.
 */
public record Member(int nodeId, String name, Set<Role> roles, String region, String endpoint, String url)
{
    /**
     * @return the bytes stored in the member's ZooKeeper node.
     */
    public byte[] toBytes()
    {
        final String text = "nodeId=" + nodeId + "\n" +
            "name=" + name + "\n" +
            "roles=" + Role.format(roles) + "\n" +
            "region=" + region + "\n" +
            "endpoint=" + endpoint + "\n" +
            "url=" + url + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param bytes as written by {@link #toBytes()}.
     * @return the member.
     * @throws IllegalArgumentException when a field is missing or malformed.
     */
    public static Member fromBytes(final byte[] bytes)
    {
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("unreadable member data", ex);
        }
        final String nodeId = properties.getProperty("nodeId");
        final String roles = properties.getProperty("roles");
        final String endpoint = properties.getProperty("endpoint");
        if (null == nodeId || null == roles || null == endpoint)
        {
            throw new IllegalArgumentException("member data lacks nodeId, roles or endpoint: " + properties);
        }
        return new Member(
            Integer.parseInt(nodeId.trim()),
            properties.getProperty("name", "node-" + nodeId.trim()),
            Role.parseSet(roles),
            properties.getProperty("region", ""),
            endpoint,
            properties.getProperty("url", ""));
    }

    /**
     * @return one line for logs.
     */
    public String describe()
    {
        return name + " (id " + nodeId + ", " + Role.format(roles) + ", region " + region + ", " + endpoint +
            (url.isEmpty() ? "" : ", " + url) + ")";
    }
}
