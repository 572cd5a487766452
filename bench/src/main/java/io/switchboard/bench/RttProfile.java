package io.switchboard.bench;

import io.switchboard.engine.shard.WaitStrategyName;

/**
 * How every thread of one round-trip run waits, chosen per transport and idle mode for a 2-core machine, where
 * more spinning threads than cores starve whoever has the work (shared/BASELINES.md).
 *
 * @param mode        "busy-spin" (latency profile) or "default" (the shipped defaults).
 * @param driverIdle  the SHARED media driver's idle strategy.
 * @param rawIdle     raw ping and pong threads.
 * @param agentIdle   the channel host's node agent (polls the inbound stream, feeds the shard ring).
 * @param shardWait   the channel shard's Disruptor wait strategy.
 * @param gatewayIdle the bench gateway thread (sends, then waits for the ChannelEvent).
 */
record RttProfile(
    String mode, String driverIdle, String rawIdle, String agentIdle, WaitStrategyName shardWait, String gatewayIdle)
{
    /**
     * The profiles this bench runs unless overridden:
     * <ul>
     *     <li>ipc busy-spin: raw ping and pong spin (two spinners, two cores; the driver is off the IPC data path and
     *     backs off). On the Switchboard path three threads are on the critical path (gateway, node agent, shard),
     *     one more than cores: the shard spins as asked, the agent and gateway yield when idle so the one with work
     *     always finds a core.</li>
     *     <li>udp busy-spin: the driver carries every message twice, so nothing may starve it: every thread yields
     *     when idle, the shard included (the best UDP setting in BASELINES.md). A spinning shard takes a core from
     *     the driver and the round trip's p99 goes from tens of microseconds to milliseconds, like raw Aeron with
     *     spinning ping and pong.</li>
     *     <li>default (both): what a node ships with: backoff agents and driver, blocking shard.</li>
     * </ul>
     *
     * @param transport ipc or udp.
     * @param mode      busy-spin or default.
     * @param args      overrides: --driver-idle, --raw-idle, --agent-idle, --shard-wait, --gateway-idle.
     * @return the profile.
     */
    static RttProfile of(final String transport, final String mode, final BenchArgs args)
    {
        final boolean udp = "udp".equals(transport);
        final RttProfile base;
        if ("busy-spin".equals(mode))
        {
            base = udp ?
                new RttProfile(mode, "yielding", "yielding", "yielding", WaitStrategyName.YIELDING, "yielding") :
                new RttProfile(mode, "backoff", "busy-spin", "yielding", WaitStrategyName.BUSY_SPIN, "yielding");
        }
        else if ("default".equals(mode))
        {
            base = new RttProfile(mode, "backoff", "backoff", "backoff", WaitStrategyName.BLOCKING, "backoff");
        }
        else
        {
            throw new IllegalArgumentException("unknown idle mode '" + mode + "': use busy-spin, default or both");
        }

        return new RttProfile(
            mode,
            args.string("driver-idle", base.driverIdle),
            args.string("raw-idle", base.rawIdle),
            args.string("agent-idle", base.agentIdle),
            args.has("shard-wait") ? WaitStrategyName.parse(args.string("shard-wait", "")) : base.shardWait,
            args.string("gateway-idle", base.gatewayIdle));
    }

    /**
     * @return the shard's wait strategy as the nearest idle strategy, for the raw relay standing in for the shard.
     */
    String shardAsIdle()
    {
        switch (shardWait)
        {
            case BUSY_SPIN:
                return "busy-spin";
            case YIELDING:
                return "yielding";
            case SLEEPING:
                return "sleeping";
            case BLOCKING:
            default:
                return "backoff";
        }
    }

    /**
     * @return the shard's wait strategy name as the options spell it.
     */
    String shardWaitName()
    {
        return shardWait.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * @return the raw baseline's strategies, for headers.
     */
    String describeRaw()
    {
        return "ping/pong " + rawIdle + ", driver " + driverIdle;
    }

    /**
     * @return the Switchboard path's strategies, for headers.
     */
    String describeSwitchboard()
    {
        return "gateway " + gatewayIdle + ", agent " + agentIdle + ", shard " + shardWaitName() + ", driver " + driverIdle;
    }
}
