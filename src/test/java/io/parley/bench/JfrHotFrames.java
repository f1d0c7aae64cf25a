package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest frames of a Java Flight Recorder recording ({@code run.sh --jfr}), as Markdown: the
 * methods at the top of the stack in the most {@code jdk.ExecutionSample} events, and, for each
 * sample, the first Parley method from the top (the first frame whose class is in
 * {@code io.parley}), i.e. the Parley code that the time was spent for. Appended to a phase's
 * section of the results.
 *
 * <pre>JfrHotFrames --jfr target/bench/jfr-latency.jfr --title "..." [--top 15] [--parley-top 10] [--append FILE]</pre>
 */
public final class JfrHotFrames {

    private static final String PARLEY = "io.parley.";
    /** The areas a top frame is counted in for the one-line summary, by class-name prefix, first match wins. */
    private static final Map<String, String> AREAS = areas();

    private JfrHotFrames() {
    }

    /** Counts of one recording. */
    record Profile(long samples, long truncated, Map<String, Long> top, Map<String, Long> firstParley,
                   Map<String, Long> areas, Instant first, Instant last) {
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        Path jfr = Path.of(args.required("jfr"));
        String text = Files.isRegularFile(jfr)
                ? markdown(args.string("title", jfr.getFileName().toString()), jfr, read(jfr), args.integer("top", 15),
                        args.integer("parley-top", 10))
                : "### Hot frames: " + args.string("title", jfr.getFileName().toString()) + "\n\nNo recording at `" + jfr
                        + "` (see the log).\n";
        String append = args.string("append", "");
        if (append.isEmpty()) {
            System.out.print(text);
        } else {
            Files.writeString(Path.of(append), "\n" + text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.printf("Hot frames of %s appended to %s%n", jfr, append);
        }
    }

    static Profile read(Path jfr) throws IOException {
        long samples = 0;
        long truncated = 0;
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> firstParley = new HashMap<>();
        Map<String, Long> areas = new HashMap<>();
        Instant first = null;
        Instant last = null;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
                last = last == null || e.getStartTime().isAfter(last) ? e.getStartTime() : last;
                if (stack.isTruncated()) {
                    truncated++;
                }
                List<RecordedFrame> frames = stack.getFrames();
                String topMethod = method(frames.get(0));
                top.merge(topMethod, 1L, Long::sum);
                areas.merge(area(topMethod), 1L, Long::sum);
                String parley = stack.isTruncated() ? "(stack truncated before a Parley frame)" : "(no Parley frame)";
                for (RecordedFrame f : frames) {
                    String m = method(f);
                    if (m.startsWith(PARLEY)) {
                        parley = m;
                        break;
                    }
                }
                firstParley.merge(parley, 1L, Long::sum);
            }
        }
        return new Profile(samples, truncated, top, firstParley, areas, first, last);
    }

    static String markdown(String title, Path jfr, Profile p, int topRows, int parleyRows) {
        StringBuilder b = new StringBuilder();
        b.append("### Hot frames: ").append(title).append("\n\n");
        if (p.samples() == 0) {
            return b.append("`").append(jfr).append("` holds no execution samples.\n").toString();
        }
        b.append(String.format("From `%s`: %,d execution samples (`jdk.ExecutionSample`, JFR's `profile` settings: "
                        + "each thread running Java code sampled every 10 ms) over %.0f s; %,d stacks truncated.%n%n",
                jfr, p.samples(), Duration.between(p.first(), p.last()).toMillis() / 1000.0, p.truncated()));
        b.append("Top of stack by area: ").append(summary(p.areas(), p.samples())).append(".\n\n");
        MarkdownTable top = new MarkdownTable("#", "Top-of-stack method", "Samples", "%");
        rank(top, p.top(), topRows, p.samples());
        b.append(top).append('\n');
        MarkdownTable parley = new MarkdownTable("#", "First Parley frame from the top", "Samples", "%");
        rank(parley, p.firstParley(), parleyRows, p.samples());
        b.append(parley);
        return b.toString();
    }

    private static void rank(MarkdownTable table, Map<String, Long> counts, int rows, long samples) {
        int[] n = {0};
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(rows)
                .forEach(e -> table.row(++n[0], e.getKey().startsWith("(") ? e.getKey() : "`" + e.getKey() + "`",
                        MarkdownTable.count(e.getValue()), percent(e.getValue(), samples)));
    }

    private static String summary(Map<String, Long> areas, long samples) {
        StringBuilder b = new StringBuilder();
        areas.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getKey()).append(' ').append(percent(e.getValue(), samples));
        });
        return b.toString();
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String area(String method) {
        for (Map.Entry<String, String> a : AREAS.entrySet()) {
            if (method.startsWith(a.getKey())) {
                return a.getValue();
            }
        }
        return "other";
    }

    private static Map<String, String> areas() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PARLEY, "Parley");
        m.put("org.apache.catalina.", "Tomcat");
        m.put("org.apache.coyote.", "Tomcat");
        m.put("org.apache.tomcat.", "Tomcat");
        m.put("org.glassfish.", "Jersey and HK2");
        m.put("org.jvnet.hk2.", "Jersey and HK2");
        m.put("com.fasterxml.jackson.", "Jackson");
        m.put("org.h2.", "H2");
        m.put("org.postgresql.", "PostgreSQL driver");
        m.put("com.zaxxer.hikari.", "HikariCP");
        m.put("java.", "JDK");
        m.put("javax.", "JDK");
        m.put("jdk.", "JDK");
        m.put("sun.", "JDK");
        return m;
    }

    private static String percent(long n, long of) {
        return String.format("%.1f%%", 100.0 * n / of);
    }
}
