package io.parley.bench;

import java.util.ArrayList;
import java.util.List;

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
