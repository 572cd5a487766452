package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Percentile tables in microseconds from histograms recorded in nanoseconds, .hgrm files, and the results
 * directory of a run.
 * <p>
 * Not thread-safe: used by the main thread after the measuring threads finished.
 */
final class LatencyReport
{
    /** Percentiles every latency report shows. */
    static final double[] PERCENTILES = { 50.0, 90.0, 99.0, 99.9, 99.99 };

    private LatencyReport()
    {
    }

    /**
     * @param scenario name of the program.
     * @return a new directory bench/results/&lt;scenario&gt;-&lt;timestamp&gt;.
     */
    static File newResultsDir(final String scenario)
    {
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final File dir = new File(System.getProperty("bench.results", "bench/results"), scenario + "-" + stamp);
        if (!dir.mkdirs() && !dir.isDirectory())
        {
            throw new IllegalStateException("cannot create " + dir);
        }
        return dir;
    }

    /**
     * @return the header matching {@link #row}.
     */
    static String header()
    {
        return String.format("%-34s %9s %9s %9s %9s %9s %9s %9s", "(microseconds)", "p50", "p90", "p99", "p99.9",
            "p99.99", "max", "count");
    }

    /**
     * @param label     first column.
     * @param histogram recorded in nanoseconds.
     * @return one table row in microseconds.
     */
    static String row(final String label, final Histogram histogram)
    {
        final StringBuilder sb = new StringBuilder(String.format("%-34s", label));
        for (final double percentile : PERCENTILES)
        {
            sb.append(String.format(" %9.2f", micros(histogram, percentile)));
        }
        sb.append(String.format(" %9.2f %9d", histogram.getMaxValue() / 1000.0, histogram.getTotalCount()));
        return sb.toString();
    }

    /**
     * @param histogram  recorded in nanoseconds.
     * @param percentile 0..100.
     * @return the value at that percentile in microseconds.
     */
    static double micros(final Histogram histogram, final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * Write the full percentile distribution in microseconds (HdrHistogram's .hgrm format, plottable).
     *
     * @param histogram recorded in nanoseconds.
     * @param file      to write.
     */
    static void writeHgrm(final Histogram histogram, final File file)
    {
        try (PrintStream out = new PrintStream(file))
        {
            histogram.outputPercentileDistribution(out, 1000.0);
        }
        catch (final FileNotFoundException ex)
        {
            throw new IllegalStateException("cannot write " + file, ex);
        }
    }
}
