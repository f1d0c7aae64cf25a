package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Looks at the server JVM from outside: its own count of held requests (test-support),
 * its heap after a full GC ({@code jcmd}), its threads, open files and CPU time ({@code /proc}).
 */
final class ServerProbe {

    /** What the server looked like at one moment. Heap figures are after a full GC. */
    record Snapshot(int held, int channels, long heapUsedBytes, long heapCommittedBytes, int threads, int workers,
                    int busyWorkers, int openFiles, long rssBytes) {
    }

    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final JsonHttp http;
    private final long pid;

    ServerProbe(JsonHttp http, long pid) {
        this.http = http;
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** Waits until the server answers (the launcher deploys the WAR before it opens the port). */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                throw new IllegalStateException("The server process " + pid + " has exited; see its log");
            }
            try {
                if (http.get(Endpoints.HELD).status() == 200) {
                    return;
                }
            } catch (IllegalStateException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The server did not answer within " + timeout);
    }

    /** The server's own count of held requests and polling channels. */
    int[] held() {
        JsonNode j = http.get(Endpoints.HELD).require(200, "test-support/held");
        return new int[] {j.path("held").asInt(), j.path("channels").asInt()};
    }

    /** Forces a full GC, then reads everything; takes a second or two. */
    Snapshot snapshot() {
        jcmd("GC.run");
        Matcher m = HEAP.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("Unexpected GC.heap_info output");
        }
        long committed = Long.parseLong(m.group(1)) * 1024;
        long used = Long.parseLong(m.group(2)) * 1024;
        int[] workers = workers();
        int[] held = held();
        return new Snapshot(held[0], held[1], used, committed, status("Threads"), workers[0], workers[1], openFiles(),
                status("VmRSS") * 1024L);
    }

    /** The JVM's maximum heap (the default one: the benchmark gives no -Xmx). */
    long maxHeapBytes() {
        Matcher m = MAX_HEAP.matcher(jcmd("VM.flags"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A thread dump ({@code jcmd Thread.print}): a short safepoint in the server. */
    String threadDump() {
        return jcmd("Thread.print");
    }

    /** The server JVM's uptime in seconds (the clock of its GC log). */
    double uptimeSeconds() {
        String out = jcmd("VM.uptime").trim();
        String last = out.substring(out.lastIndexOf('\n') + 1).trim();
        return Double.parseDouble(last.split("\\s+")[0]);
    }

    /** The heap's largest classes after a full GC ({@code GC.class_histogram}), biggest first. */
    List<String[]> histogram(int top) {
        List<String[]> rows = new ArrayList<>();
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(line);
            if (m.find() && rows.size() < top) {
                rows.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        }
        return rows;
    }

    /** How many instances of {@code className} the heap holds (after a full GC). */
    long instances(String className) {
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(line);
            if (m.find() && m.group(3).equals(className)) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }

    /** User plus system CPU time the server has used so far, in seconds. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the server's CPU time", e);
        }
    }

    /**
     * CPU time a PostgreSQL server has used so far, in seconds: its postmaster's own and that of its
     * children (the backends, one per connection, and the background processes), the live ones
     * from their {@code /proc/<pid>/stat} and the ended ones from the postmaster's count of its
     * waited-for children. NaN when the postmaster is gone.
     */
    static double postgresCpuSeconds(long postmasterPid) {
        try {
            String[] own = procStat(postmasterPid);
            long ticks = Long.parseLong(own[11]) + Long.parseLong(own[12]) + Long.parseLong(own[13])
                    + Long.parseLong(own[14]);
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String[] f = procStat(Long.parseLong(name));
                        if (Long.parseLong(f[1]) == postmasterPid) {
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    } catch (IOException | RuntimeException e) {
                        // The process ended while the list was read: its time is in the postmaster's now.
                    }
                }
            }
            return ticks / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name: [0] is the state, [1] the parent. */
    private static String[] procStat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** The server JVM's live threads, from {@code /proc} (no safepoint, so cheap enough to sample during a run). */
    int threads() {
        return status("Threads");
    }

    /**
     * CPU time every process on the machine has used so far (user, nice, system, irq, softirq and
     * steal of {@code /proc/stat}), in seconds: less the server's and the client's, it shows what
     * other processes took from the benchmark.
     */
    static double machineCpuSeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Tomcat's request threads: how many exist, and how many are doing something rather than waiting for work. */
    private int[] workers() {
        int total = 0;
        int busy = 0;
        for (String thread : jcmd("Thread.print").split("\n\n")) {
            if (thread.startsWith("\"http-nio-") && thread.contains("-exec-")) {
                total++;
                if (!thread.contains("TaskQueue.take") && !thread.contains("TaskQueue.poll")) {
                    busy++;
                }
            }
        }
        return new int[] {total, busy};
    }

    private int status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Integer.parseInt(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read /proc/" + pid + "/status", e);
        }
        throw new IllegalStateException("No " + field + " in /proc/" + pid + "/status");
    }

    /** The server JVM's open file descriptors (sockets included). */
    int openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Starts a Java Flight Recorder recording in the server with the JDK's {@code profile} settings
     * (a method sample of each running thread every 10 ms), to be written to {@code file} by
     * {@link #stopRecording}. Does nothing when {@code file} is null (no {@code --jfr} given); a
     * recording that cannot start is reported and the phase goes on without it.
     */
    void startRecording(Path file) {
        if (file == null) {
            return;
        }
        try {
            jcmd("JFR.start name=" + recordingName(file) + " settings=profile");
        } catch (IllegalStateException e) {
            System.err.println("No flight recording: " + e.getMessage());
        }
    }

    /** Stops the recording {@link #startRecording} started and writes it to {@code file}. */
    void stopRecording(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            jcmd("JFR.stop name=" + recordingName(file) + " filename=" + file.toAbsolutePath());
            System.out.printf("    flight recording written to %s%n", file);
        } catch (IOException | IllegalStateException e) {
            System.err.println("The flight recording was not written: " + e.getMessage());
        }
    }

    private static String recordingName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.jfr$", "");
    }

    private String jcmd(String command) {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command.split(" ")));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run jcmd (a JDK, not a JRE, is needed)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
