package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Writes {@code benchmark/results.md}: the project's targets and whether this run met them (from the
 * phases' summaries in {@code --summaries}, see {@link Targets}), the machine and how the run was made,
 * then the sections the phases wrote.
 *
 * <pre>
 * ResultsReport --out benchmark/results.md --sections a.md,b.md [--summaries target/bench] [--mode full]
 *   [--commit SHA] [--seconds N] [--load-at-start "1.0, 0.5, 0.2"]
 * </pre>
 */
public final class ResultsReport {

    private ResultsReport() {
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        Section s = new Section();
        s.line("# Parley benchmark results").blank();
        s.line("Written by `benchmark/run.sh%s`; see `benchmark/README.md` for what is measured and how to read it.",
                "quick".equals(args.string("mode", "full")) ? " --quick" : "").blank();
        s.line(Targets.markdown(Path.of(args.string("summaries", "target/bench"))));
        s.line("| Machine | |").line("| --- | --- |");
        s.line("| Date | %s |", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
        s.line("| Mode | %s |", args.string("mode", "full"));
        s.line("| Commit | %s |", args.string("commit", "unknown"));
        s.line("| CPU | %d cores (%s) |", Runtime.getRuntime().availableProcessors(), cpuModel());
        s.line("| RAM | %s |", memTotal());
        s.line("| Java | %s %s |", System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
        s.line("| OS | %s %s |", System.getProperty("os.name"), System.getProperty("os.version"));
        s.line("| Open-file limit per process | %s |", openFileLimit());
        s.line("| Server | `java -jar target/parley-launcher.jar` (embedded Tomcat 10.1), demo mode (H2 file database), "
                + "JVM defaults for heap and GC |");
        s.line("| Load client | a separate JVM on the same machine |");
        s.line("| Load average (1, 5, 15 min) at the start and the end | %s; %s |", args.string("load-at-start", "?"),
                loadAverage());
        s.line("| Whole run took | %s s |", args.string("seconds", "?")).blank();
        for (String section : args.required("sections").split(",")) {
            Path p = Path.of(section);
            s.line(Files.isRegularFile(p) ? Files.readString(p) : "## " + p.getFileName() + "\n\nNot run (see the log).\n");
        }
        s.writeTo(Path.of(args.string("out", "benchmark/results.md")));
    }

    /** Other work on the machine shows here: the benchmark's JVMs are stopped when this runs. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").orElse("model unknown");
    }

    private static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal")
                .map(v -> String.format("%.1f GiB", Long.parseLong(v.split("\\s+")[0]) / (1024.0 * 1024.0)))
                .orElse("unknown");
    }

    private static String openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    List<String> f = List.of(line.substring("Max open files".length()).trim().split("\\s+"));
                    return f.get(0) + " (soft), " + f.get(1) + " (hard)";
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
