package io.switchboard.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media driver inside this JVM, in its own directory, deleted on start (a previous crash may have left one) and
 * on close. SHARED threading: on small machines one driver thread beats three (shared/BASELINES.md).
 * <p>
 * Thread-safety: start and close from one thread.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDriver.class);

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
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(context.driverDir())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.newInstance(context.driverIdleStrategy()))
            .termBufferSparseFile(true)
            .publicationTermBufferLength(context.termLength())
            .ipcTermBufferLength(context.termLength());
        final MediaDriver driver = MediaDriver.launch(driverContext);
        LOG.info("embedded media driver started in {}", driver.aeronDirectoryName());
        return new EmbeddedDriver(driver);
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
