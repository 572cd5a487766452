package io.switchboard.transport;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A media driver inside this JVM, in its own directory, deleted on close. Its name carries this process's id, so a
 * process that was killed leaves a directory no later start would reuse: each start therefore removes the sibling
 * {@code switchboard-*-<pid>} directories whose process is gone and whose driver stopped heartbeating (their term
 * buffers otherwise stay in /dev/shm, which is memory, until reboot). SHARED threading: on small machines one driver
 * thread beats three (shared/BASELINES.md).
 * <p>
 * Thread-safety: start and close from one thread.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDriver.class);
    /** A driver whose heartbeat is older than this is not running. */
    static final long STALE_DRIVER_MS = 10_000;
    static final String NAK_RETRY_RATIO_PROP = "aeron.nak.unicast.retry.delay.ratio";
    static final String RETRANSMIT_LINGER_PROP = "aeron.retransmit.unicast.linger";
    private static final Pattern DIRECTORY_NAME = Pattern.compile("switchboard-.+-(\\d{1,10})");

    private final MediaDriver driver;

    private EmbeddedDriver(final MediaDriver driver)
    {
        this.driver = driver;
    }

    /**
     * @param context validated node configuration.
     * @return the running driver.
     */
    public static EmbeddedDriver launch(final NodeContext context)
    {
        final File parent = new File(context.driverDir()).getAbsoluteFile().getParentFile();
        if (null != parent)
        {
            final int removed = removeStaleDirectories(parent);
            if (removed > 0)
            {
                LOG.info("removed {} driver director{} left in {} by processes that are gone", removed,
                    removed == 1 ? "y" : "ies", parent);
            }
        }
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(context.driverDir())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.newInstance(context.driverIdleStrategy()))
            .termBufferSparseFile(true)
            .publicationTermBufferLength(context.termLength())
            .ipcTermBufferLength(context.termLength());
        final String tuning = tuneForLinks(driverContext, context.linkRttMs(), System.getProperties());
        if (null != tuning)
        {
            LOG.info("embedded media driver tuned for links of {} ms round trip: {}", context.linkRttMs(), tuning);
        }
        final MediaDriver driver = MediaDriver.launch(driverContext);
        LOG.info("embedded media driver started in {}", driver.aeronDirectoryName());
        return new EmbeddedDriver(driver);
    }

    /**
     * Size loss recovery for long links. Aeron's defaults suit a LAN: a receiver repeats a NAK every 100 µs until the
     * retransmission arrives, and a sender ignores repeats for only 10 ms, so over a link of tens of milliseconds each
     * lost packet brings a round trip's worth of NAKs and duplicate retransmissions. Both are set to half the round
     * trip: a few NAKs per loss instead of thousands, and a lost retransmission is asked for again after half a round
     * trip rather than a whole one (in the regions benchmark half gave shorter tails than the full round trip,
     * docs/benchmarks.md, "Regions"). An {@code aeron.*} property set explicitly wins over this.
     *
     * @param driverContext to tune.
     * @param linkRttMs     round trip of the longest link; 0 leaves the defaults.
     * @param properties    where explicit {@code aeron.*} settings are looked up.
     * @return what was changed, or null when nothing was.
     */
    static String tuneForLinks(final MediaDriver.Context driverContext, final long linkRttMs, final Properties properties)
    {
        if (linkRttMs <= 0)
        {
            return null;
        }
        final long delayNs = TimeUnit.MILLISECONDS.toNanos(linkRttMs) / 2;
        final StringBuilder changed = new StringBuilder();
        if (null == properties.getProperty(NAK_RETRY_RATIO_PROP))
        {
            final long ratio = Math.max(1, delayNs / Math.max(1, driverContext.nakUnicastDelayNs()));
            driverContext.nakUnicastRetryDelayRatio(ratio);
            changed.append(NAK_RETRY_RATIO_PROP).append('=').append(ratio);
        }
        if (null == properties.getProperty(RETRANSMIT_LINGER_PROP))
        {
            driverContext.retransmitUnicastLingerNs(delayNs);
            changed.append(changed.length() > 0 ? ", " : "").append(RETRANSMIT_LINGER_PROP).append('=').append(delayNs);
        }
        return changed.length() > 0 ? changed.toString() : null;
    }

    /**
     * Remove the {@code switchboard-*-<pid>} directories in a parent whose process is not alive and whose driver has
     * not heartbeated for {@link #STALE_DRIVER_MS}: both must hold, so a live driver in another pid namespace that
     * shares the directory is never touched.
     *
     * @param parent where embedded drivers keep their directories.
     * @return directories removed.
     */
    static int removeStaleDirectories(final File parent)
    {
        final File[] candidates = parent.listFiles(File::isDirectory);
        if (null == candidates)
        {
            return 0;
        }
        int removed = 0;
        for (final File candidate : candidates)
        {
            final Matcher name = DIRECTORY_NAME.matcher(candidate.getName());
            if (!name.matches())
            {
                continue;
            }
            // At most 10 digits: always a long.
            final long pid = Long.parseLong(name.group(1));
            if (pid == ProcessHandle.current().pid() ||
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ||
                CommonContext.isDriverActive(candidate, STALE_DRIVER_MS, message -> { }))
            {
                continue;
            }
            IoUtil.delete(candidate, true);
            if (!candidate.exists())
            {
                removed++;
            }
        }
        return removed;
    }

    /**
     * @return the driver's directory, for clients and AeronStat.
     */
    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    /**
     * Stop the driver and delete its directory.
     */
    public void close()
    {
        CloseHelper.close(driver);
        LOG.info("embedded media driver stopped");
    }
}
