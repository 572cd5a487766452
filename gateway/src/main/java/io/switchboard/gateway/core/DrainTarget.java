package io.switchboard.gateway.core;

import io.switchboard.transport.Peer;
import io.switchboard.transport.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a draining gateway sends its clients: a live gateway of the same region, so clients keep their latency;
 * another region's only when this region has none left; else the configured URL. A random pick among candidates
 * spreads the drained sessions instead of piling them onto one gateway.
 * <p>
 * Stateless and thread-safe; call with peers read on the node agent's thread.
 */
public final class DrainTarget
{
    private DrainTarget()
    {
    }

    /**
     * @param peers    the node's peers (self excluded).
     * @param region   this gateway's region.
     * @param fallback the configured drain URL, or null.
     * @return the URL clients should reconnect to, or the fallback.
     */
    public static String choose(final List<Peer> peers, final String region, final String fallback)
    {
        final List<String> sameRegion = new ArrayList<>();
        final List<String> otherRegion = new ArrayList<>();
        for (final Peer peer : peers)
        {
            final String url = peer.url();
            if (!peer.roles().contains(Role.GATEWAY) || !peer.alive() || null == url || url.isEmpty())
            {
                continue;
            }
            (region.equals(peer.region()) ? sameRegion : otherRegion).add(url);
        }
        final List<String> candidates = sameRegion.isEmpty() ? otherRegion : sameRegion;
        return candidates.isEmpty() ? fallback : candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }
}
