package io.switchboard.transport;

import io.switchboard.engine.partition.Partitioner;
import io.switchboard.engine.partition.Placement;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which host of a role owns a key (a channel name, a user id): name to partition by the {@link Partitioner}, then
 * partition to host by the {@link Placement} over the hosts of that role. Every node computes the same answer from
 * the same host set, so no coordination is needed to agree on owners.
 * <p>
 * Immutable and thread-safe; build a new one when the host set changes.
 */
public final class HostRouting
{
    private final Partitioner partitioner;
    private final Placement placement;
    private final int[] nodeIdByHostIndex;

    /**
     * @param partitioner  names to partitions.
     * @param hostNodeIds  node ids of the role's hosts; at least one.
     */
    public HostRouting(final Partitioner partitioner, final Collection<Integer> hostNodeIds)
    {
        if (hostNodeIds.isEmpty())
        {
            throw new IllegalArgumentException("no host to route to: configure at least one peer with that role");
        }
        final List<String> ids = new ArrayList<>();
        for (final Integer nodeId : hostNodeIds)
        {
            ids.add(Integer.toString(nodeId));
        }
        this.partitioner = partitioner;
        this.placement = Placement.of(partitioner.partitionCount(), ids);
        this.nodeIdByHostIndex = new int[placement.hostCount()];
        for (int i = 0; i < nodeIdByHostIndex.length; i++)
        {
            nodeIdByHostIndex[i] = Integer.parseInt(placement.hostId(i));
        }
    }

    /**
     * @param name   bytes of the key.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return node id of the owning host.
     */
    public int ownerOf(final DirectBuffer name, final int offset, final int length)
    {
        return nodeIdByHostIndex[placement.ownerOf(partitioner.partitionOf(name, offset, length))];
    }

    /**
     * @param partition a partition.
     * @return node id of the owning host.
     */
    public int ownerOfPartition(final int partition)
    {
        return nodeIdByHostIndex[placement.ownerOf(partition)];
    }

    /**
     * @param nodeId a node.
     * @return true when it is one of the hosts this routing spreads partitions over.
     */
    public boolean isHost(final int nodeId)
    {
        for (final int id : nodeIdByHostIndex)
        {
            if (id == nodeId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return node ids of the hosts, a copy.
     */
    public int[] hostNodeIds()
    {
        return nodeIdByHostIndex.clone();
    }

    /**
     * @return the partitioner.
     */
    public Partitioner partitioner()
    {
        return partitioner;
    }
}
