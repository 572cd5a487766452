package io.switchboard.server;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.concurrent.Callable;

/**
 * {@code switchboard stat}: print the counters of a running node's media driver, Switchboard's and Aeron's, like
 * Aeron's AeronStat tool (which reads the same CnC file and shows the same counters).
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the Aeron and Switchboard counters of the media driver in --aeron-dir.")
final class StatCommand implements Callable<Integer>
{
    @Option(names = "--aeron-dir", required = true, paramLabel = "DIR",
        description = "Driver directory (logged by 'switchboard run' at start).")
    String aeronDir;

    @Option(names = "--filter", paramLabel = "TEXT", description = "Only counters whose label contains TEXT.")
    String filter;

    public Integer call()
    {
        final File cncFile = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        if (!cncFile.exists())
        {
            System.err.println("switchboard: no media driver in " + aeronDir + " (" + cncFile + " not found)");
            return 2;
        }
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        try
        {
            final AtomicBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (null == filter || label.contains(filter))
                {
                    System.out.printf("%3d: %,20d - %s%n", counterId, counters.getCounterValue(counterId), label);
                }
            });
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
        return 0;
    }

    static String defaultDir()
    {
        return CommonContext.getAeronDirectoryName();
    }
}
