package io.switchboard.bench.regions;

import java.util.ArrayList;
import java.util.List;

/**
 * Command line of a {@link RegionGateway}:
 * {@code --node-id N --region NAME --listen AERON_URI --host ID=channel@AERON_URI [--publish --rate R --duration-s S
 * --warmup-s W] [--channels K] [--payload-bytes B] [--drain-timeout-s T] --out DIR}.
 * <p>
 * Not thread-safe: parsed once on the main thread.
 */
final class RegionGatewayOptions
{
    int nodeId;
    String region;
    String listen;
    String hosts;
    boolean publish;
    int rate = 100;
    int durationS = 10;
    int warmupS = 0;
    int channels = 4;
    int payloadBytes = 100;
    int drainTimeoutS = 20;
    long connectTimeoutMs = 60_000;
    String outDir;

    String channelName(final int index)
    {
        return "regions-" + index;
    }

    static RegionGatewayOptions parse(final String[] args)
    {
        final RegionGatewayOptions options = new RegionGatewayOptions();
        final List<String> hosts = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i];
            if ("--publish".equals(name))
            {
                options.publish = true;
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(name + " needs a value");
            }
            final String value = args[++i];
            switch (name)
            {
                case "--node-id" -> options.nodeId = Integer.parseInt(value);
                case "--region" -> options.region = value;
                case "--listen" -> options.listen = value;
                case "--host" -> hosts.add(value);
                case "--rate" -> options.rate = Integer.parseInt(value);
                case "--duration-s" -> options.durationS = Integer.parseInt(value);
                case "--warmup-s" -> options.warmupS = Integer.parseInt(value);
                case "--channels" -> options.channels = Integer.parseInt(value);
                case "--payload-bytes" -> options.payloadBytes = Integer.parseInt(value);
                case "--drain-timeout-s" -> options.drainTimeoutS = Integer.parseInt(value);
                case "--out" -> options.outDir = value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        options.hosts = String.join(";", hosts);
        if (options.nodeId <= 0 || null == options.region || null == options.listen || hosts.isEmpty()
            || null == options.outDir)
        {
            throw new IllegalArgumentException("--node-id, --region, --listen, --host and --out are required");
        }
        if (options.rate < 1 || options.rate > 1_000_000 || options.channels < 1 || options.durationS < 1)
        {
            throw new IllegalArgumentException("--rate must be in 1..1000000, --channels and --duration-s >= 1");
        }
        return options;
    }
}
