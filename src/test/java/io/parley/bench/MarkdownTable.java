package io.parley.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** A Markdown table, built row by row. */
final class MarkdownTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    MarkdownTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        line(b, header);
        b.append('|');
        header.forEach(h -> b.append(" --- |"));
        b.append('\n');
        rows.forEach(r -> line(b, r));
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells) {
        b.append('|');
        cells.forEach(c -> b.append(' ').append(c).append(" |"));
        b.append('\n');
    }

    /** A table of latency percentiles: one histogram of microseconds per row (see {@link #latencyRow}). */
    static MarkdownTable latencies() {
        return new MarkdownTable("", "p50", "p90", "p99", "p99.9", "max", "count");
    }

    MarkdownTable latencyRow(String name, Histogram micros) {
        return row(name, ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()),
                count(micros.getTotalCount()));
    }

    /** Microseconds as milliseconds; seconds from 10 s up, where a tenth of a millisecond says nothing. */
    static String ms(long micros) {
        return micros >= 10_000_000 ? String.format("%.1f s", micros / 1e6) : String.format("%.1f ms", micros / 1000.0);
    }

    static String mib(long bytes) {
        return String.format("%,.1f MiB", bytes / (1024.0 * 1024.0));
    }

    static String kib(double bytes) {
        return String.format("%,.1f KiB", bytes / 1024.0);
    }

    static String count(long n) {
        return String.format("%,d", n);
    }
}
