package io.switchboard.bench.regions;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of one regions run ({@code bench/run regions [options]}):
 * <pre>
 *   --duration S          seconds of publishing (default 30)
 *   --rate R              messages per second, open loop (default 100)
 *   --loss P              fraction of UDP packets dropped on every inter-region hop (default 0)
 *   --eu-delay-ms D       one-way delay between eu and the core region us (default 40)
 *   --latam-delay-ms D    one-way delay between latam and us (default 60)
 *   --regions LIST        instead of the two above: name:delay_ms,... (e.g. eu:40,latam:60,apac:120)
 *   --publisher-region R  where the publisher runs (default eu; us is the core region)
 *   --channels K          channels published round-robin (default 4)
 *   --payload-bytes B     payload size (default 100, at least 17)
 *   --warmup-s W          first seconds checked for delivery but not recorded in the histograms (default 2)
 *   --peer-timeout-ms T   silence after which a node declares a peer lost (default 3000; the product's 800 ms
 *                         trips on the stalls of a shared 2-core machine, which this benchmark does not measure)
 *   --link-rtt-ms R       switchboard.link.rttMs of every node: loss recovery sized for long links (default: the
 *                         longest round trip of the scenario, twice its largest one-way delay; 0 keeps Aeron's LAN
 *                         defaults)
 *   --child-java-opts S   extra JVM options for every process, e.g. Aeron tuning such as
 *                         "-Daeron.retransmit.unicast.linger=300000000"
 *   --netem MODE          auto (netem where the kernel has it, relays elsewhere), on, off (default auto)
 *   --out DIR             results directory (default bench/results/regions-TIMESTAMP)
 *   --script PATH         the namespace script (default bench/regions/regions.sh)
 * </pre>
 * Not thread-safe: built once before the run.
 */
public final class RegionsOptions
{
    /** The core region: channel hosts live here. */
    public static final String CORE = "us";

    int durationS = 30;
    int rate = 100;
    double loss = 0;
    int euDelayMs = 40;
    int latamDelayMs = 60;
    String regions;
    String publisherRegion = "eu";
    int channels = 4;
    int payloadBytes = 100;
    int warmupS = 2;
    long peerTimeoutMs = 3000;
    /** Negative: twice the largest one-way delay of the scenario's regions. */
    long linkRttMs = -1;
    String childJavaOpts = "";
    String netem = "auto";
    Path out;
    Path script;
    String classpath = System.getProperty("java.class.path");

    /**
     * @param args command line.
     * @return the options.
     * @throws IllegalArgumentException naming the bad option.
     */
    public static RegionsOptions parse(final String[] args)
    {
        final RegionsOptions options = new RegionsOptions();
        for (int i = 0; i < args.length; i++)
        {
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            final String value = args[++i];
            switch (args[i - 1])
            {
                case "--duration" -> options.durationS = Integer.parseInt(value);
                case "--rate" -> options.rate = Integer.parseInt(value);
                case "--loss" -> options.loss = Double.parseDouble(value);
                case "--eu-delay-ms" -> options.euDelayMs = Integer.parseInt(value);
                case "--latam-delay-ms" -> options.latamDelayMs = Integer.parseInt(value);
                case "--regions" -> options.regions = value;
                case "--publisher-region" -> options.publisherRegion = value;
                case "--channels" -> options.channels = Integer.parseInt(value);
                case "--payload-bytes" -> options.payloadBytes = Integer.parseInt(value);
                case "--warmup-s" -> options.warmupS = Integer.parseInt(value);
                case "--netem" -> options.netem = value;
                case "--peer-timeout-ms" -> options.peerTimeoutMs = Long.parseLong(value);
                case "--link-rtt-ms" -> options.linkRttMs = Long.parseLong(value);
                case "--child-java-opts" -> options.childJavaOpts = value;
                case "--out" -> options.out = Path.of(value);
                case "--script" -> options.script = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        return options;
    }

    /**
     * @param durationS seconds of publishing. @return this.
     */
    public RegionsOptions durationS(final int durationS)
    {
        this.durationS = durationS;
        return this;
    }

    /**
     * @param rate messages per second. @return this.
     */
    public RegionsOptions rate(final int rate)
    {
        this.rate = rate;
        return this;
    }

    /**
     * @param loss fraction of packets dropped per hop. @return this.
     */
    public RegionsOptions loss(final double loss)
    {
        this.loss = loss;
        return this;
    }

    /**
     * @param warmupS seconds not recorded. @return this.
     */
    public RegionsOptions warmupS(final int warmupS)
    {
        this.warmupS = warmupS;
        return this;
    }

    /**
     * @param out results directory. @return this.
     */
    public RegionsOptions out(final Path out)
    {
        this.out = out;
        return this;
    }

    /**
     * @param script the namespace script. @return this.
     */
    public RegionsOptions script(final Path script)
    {
        this.script = script;
        return this;
    }

    /**
     * @param classpath for the child JVMs. @return this.
     */
    public RegionsOptions classpath(final String classpath)
    {
        this.classpath = classpath;
        return this;
    }

    /**
     * @return switchboard.link.rttMs for every node: as given, or twice the largest one-way delay.
     */
    long linkRttMs()
    {
        if (linkRttMs >= 0)
        {
            return linkRttMs;
        }
        int largest = 0;
        for (final int delay : delays().values())
        {
            largest = Math.max(largest, delay);
        }
        return 2L * largest;
    }

    /**
     * @return region name to one-way delay from the core region, the core first (delay 0).
     */
    Map<String, Integer> delays()
    {
        final Map<String, Integer> delays = new LinkedHashMap<>();
        delays.put(CORE, 0);
        if (null == regions || regions.isBlank())
        {
            delays.put("eu", euDelayMs);
            delays.put("latam", latamDelayMs);
        }
        else
        {
            for (final String spec : regions.split(","))
            {
                final String[] parts = spec.trim().split(":");
                if (2 != parts.length)
                {
                    throw new IllegalArgumentException("bad --regions entry '" + spec + "': expected name:delay_ms");
                }
                delays.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        return delays;
    }

    void validate()
    {
        if (durationS < 1 || rate < 1 || channels < 1 || loss < 0 || loss >= 1 ||
            payloadBytes < RegionGateway.MIN_PAYLOAD)
        {
            throw new IllegalArgumentException(
                "need --duration >= 1, --rate >= 1, --channels >= 1, 0 <= --loss < 1, --payload-bytes >= 17");
        }
        if (!delays().containsKey(publisherRegion))
        {
            throw new IllegalArgumentException(
                "--publisher-region " + publisherRegion + " is not one of " + delays().keySet());
        }
        if (warmupS >= durationS)
        {
            warmupS = 0;
        }
        if (null == out)
        {
            out = Path.of("bench", "results",
                "regions-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        if (null == script)
        {
            script = Path.of("bench", "regions", "regions.sh");
        }
    }
}
