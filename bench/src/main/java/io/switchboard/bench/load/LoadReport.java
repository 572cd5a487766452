package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Files of one load run under its results directory: {@code latency.hgrm} (HdrHistogram percentile distribution in
 * microseconds), {@code summary.json}, {@code latency.svg} (percentile plot on HdrHistogram's log scale of
 * 1/(1-percentile)), and the RESULT line.
 * <p>
 * Thread-safety: stateless static helpers.
 */
final class LoadReport
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b" };

    private LoadReport()
    {
    }

    /**
     * @param histogram microseconds.
     * @param file      the .hgrm to write.
     */
    static void writeHgrm(final Histogram histogram, final Path file) throws IOException
    {
        try (PrintStream out = new PrintStream(file.toFile(), StandardCharsets.UTF_8))
        {
            histogram.outputPercentileDistribution(out, 5, 1.0);
        }
    }

    static void writeJson(final Map<String, Object> summary, final Path file) throws IOException
    {
        JSON.writeValue(file.toFile(), summary);
    }

    /**
     * The figures every summary has, in a fixed order.
     */
    static Map<String, Object> figures(
        final Histogram histogram, final double offeredPerS, final double deliveredPerS, final long errors)
    {
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("p50_us", histogram.getValueAtPercentile(50));
        figures.put("p90_us", histogram.getValueAtPercentile(90));
        figures.put("p99_us", histogram.getValueAtPercentile(99));
        figures.put("p999_us", histogram.getValueAtPercentile(99.9));
        figures.put("p9999_us", histogram.getValueAtPercentile(99.99));
        figures.put("max_us", histogram.getMaxValue());
        figures.put("samples", histogram.getTotalCount());
        figures.put("offered_per_s", round(offeredPerS));
        figures.put("delivered_per_s", round(deliveredPerS));
        figures.put("broadcast_multiplier", offeredPerS > 0 ? round(deliveredPerS / offeredPerS) : 0.0);
        figures.put("errors", errors);
        return figures;
    }

    static String resultLine(final String scenario, final Map<String, Object> figures)
    {
        return "RESULT scenario=" + scenario +
            " p50_us=" + figures.get("p50_us") +
            " p99_us=" + figures.get("p99_us") +
            " p999_us=" + figures.get("p999_us") +
            " max_us=" + figures.get("max_us") +
            " offered_per_s=" + figures.get("offered_per_s") +
            " delivered_per_s=" + figures.get("delivered_per_s") +
            " errors=" + figures.get("errors");
    }

    static double round(final double value)
    {
        return Math.round(value * 10.0) / 10.0;
    }

    /**
     * Percentile distribution plot: x is log10(1/(1-percentile)) labelled 0%, 90%, 99%, ...; y is latency in ms.
     *
     * @param series name to histogram (microseconds), plotted in order.
     * @param title  heading.
     * @param file   the .svg to write.
     */
    static void writeSvg(final Map<String, Histogram> series, final String title, final Path file) throws IOException
    {
        final int width = 800;
        final int height = 500;
        final int left = 70;
        final int right = 45;
        final int top = 40;
        final int bottom = 50;
        final double maxX = 6; // 99.9999%
        long maxUs = 1;
        for (final Histogram histogram : series.values())
        {
            maxUs = Math.max(maxUs, histogram.getMaxValue());
        }
        final double maxMs = niceCeiling(maxUs / 1000.0);
        final double plotW = width - left - right;
        final double plotH = height - top - bottom;
        final StringBuilder svg = new StringBuilder(16384);
        svg.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" " +
            "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n",
            left, escape(title)));
        final String[] labels = { "0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%" };
        for (int i = 0; i <= 6; i++)
        {
            final double x = left + plotW * i / maxX;
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>" +
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                x, top, x, top + plotH, x, top + plotH + 18, labels[i]));
        }
        for (int i = 0; i <= 5; i++)
        {
            final double y = top + plotH - plotH * i / 5;
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>" +
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                left, y, left + plotW, y, left - 6, y + 4, trim(maxMs * i / 5)));
        }
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n", left + plotW / 2, height - 10));
        svg.append(String.format(Locale.ROOT,
            "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">latency (ms)</text>%n",
            top + plotH / 2, top + plotH / 2));
        int colour = 0;
        for (final Map.Entry<String, Histogram> entry : series.entrySet())
        {
            final String stroke = COLOURS[colour % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(stroke).append("\" points=\"");
            for (final HistogramIterationValue value : entry.getValue().percentiles(5))
            {
                final double percentile = Math.min(value.getPercentileLevelIteratedTo(), 99.99995);
                final double x = left + plotW * Math.min(maxX, Math.log10(100.0 / (100.0 - percentile))) / maxX;
                final double y = top + plotH - plotH * (value.getValueIteratedTo() / 1000.0) / maxMs;
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("\"/>\n");
            svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>" +
                "<text x=\"%d\" y=\"%d\">%s (p99 %s ms)</text>%n",
                left + 12, top + 12 + colour * 18, stroke, left + 32, top + 18 + colour * 18,
                escape(entry.getKey()), trim(entry.getValue().getValueAtPercentile(99) / 1000.0)));
            colour++;
        }
        svg.append("</svg>\n");
        Files.writeString(file, svg.toString());
    }

    private static double niceCeiling(final double value)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(value, 0.001))));
        for (final double step : new double[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String trim(final double value)
    {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
