package io.switchboard.bench.regions;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Files of the regions benchmark: per region a percentile distribution ({@code .hgrm}, milliseconds, the form
 * HdrHistogram's plotter reads), the histogram itself ({@code .hlog}, so regions can be combined exactly) and a
 * one-line summary of the delivery check; the scenario adds {@code combined.hgrm} and {@code results.txt}.
 * Histograms hold microseconds.
 * <p>
 * Thread-safety: stateless static helpers.
 */
final class RegionsReport
{
    private static final double US_PER_MS = 1000.0;

    private RegionsReport()
    {
    }

    static void writeHistogram(final Histogram histogram, final Path dir, final String name) throws IOException
    {
        try (PrintStream hgrm = new PrintStream(dir.resolve(name + ".hgrm").toFile(), "UTF-8"))
        {
            histogram.outputPercentileDistribution(hgrm, 5, US_PER_MS);
        }
        try (PrintStream hlog = new PrintStream(dir.resolve(name + ".hlog").toFile(), "UTF-8"))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(hlog);
            writer.outputLogFormatVersion();
            writer.outputLegend();
            writer.outputIntervalHistogram(histogram);
        }
    }

    static Histogram readHistogram(final Path dir, final String name) throws FileNotFoundException
    {
        final Histogram total = new Histogram(RegionGateway.HIGHEST_TRACKABLE_US, 3);
        final HistogramLogReader reader = new HistogramLogReader(dir.resolve(name + ".hlog").toFile());
        EncodableHistogram next;
        while (null != (next = reader.nextIntervalHistogram()))
        {
            total.add((Histogram)next);
        }
        return total;
    }

    /**
     * Parse a {@code key=value key=value} line as written by the gateways.
     *
     * @param line the summary.
     * @return the values in order.
     */
    static Map<String, String> parseFields(final String line)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (final String part : line.trim().split("\\s+"))
        {
            final int equals = part.indexOf('=');
            if (equals > 0)
            {
                fields.put(part.substring(0, equals), part.substring(equals + 1));
            }
        }
        return fields;
    }

    static String percentiles(final Histogram histogram)
    {
        return "p50_ms=" + ms(histogram.getValueAtPercentile(50))
            + " p90_ms=" + ms(histogram.getValueAtPercentile(90))
            + " p99_ms=" + ms(histogram.getValueAtPercentile(99))
            + " p999_ms=" + ms(histogram.getValueAtPercentile(99.9))
            + " max_ms=" + ms(histogram.getMaxValue());
    }

    static String ms(final long micros)
    {
        return String.format(Locale.ROOT, "%.1f", micros / US_PER_MS);
    }
}
