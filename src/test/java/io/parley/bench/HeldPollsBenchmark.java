package io.parley.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 1: how many {@code getMessages} long polls one Parley node holds at once, what heap they
 * take, and that they hold no threads.
 *
 * <p>Ramps up through target counts of consumer sessions. For each target it makes the missing
 * sessions (bootstrap and requestEngagement over HTTP, a bounded number at a time), then gives
 * each a {@link Poller} on a raw socket of its own; every poller re-polls as soon as its poll is
 * answered, so the number held stays at the target whatever the server's hold. At each plateau
 * it records the client's and the server's count of held polls, the server's heap after a full
 * GC, its threads and open files. It stops at the first plateau with refused or failed polls.
 * Finally it closes every poll socket and watches the server release the polls.
 *
 * <pre>
 * HeldPollsBenchmark --base http://127.0.0.1:PORT --pid SERVER_PID [--targets 2500,5000,10000,12000]
 *   [--concurrency 48] [--ramp 500] [--hold 30] [--out target/bench/held.md] [--summary target/bench/held.json]
 *   [--jfr FILE]
 * </pre>
 *
 * <p>The summary gives each plateau's figures for the targets table ({@link Targets}).
 *
 * <p>With {@code --jfr} the server is recorded with Java Flight Recorder into {@code FILE} from the
 * baseline to the release of the polls (this phase has no timed part: its load is the ramp).
 */
public final class HeldPollsBenchmark {

    private static final Duration PLATEAU_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration STALLED = Duration.ofSeconds(8);
    private static final int HISTOGRAM_ROWS = 8;
    private static final String COYOTE_REQUEST = "org.apache.coyote.Request";

    private record Plateau(int target, int clientHeld, ServerProbe.Snapshot server, double setupSeconds,
                           double rampSeconds, long failures) {

        /** Heap used after a full GC, above the baseline, per poll the server held. */
        double heapPerPoll(ServerProbe.Snapshot baseline) {
            return server.held() == 0 ? 0 : (server.heapUsedBytes() - baseline.heapUsedBytes()) / (double) server.held();
        }
    }

    private final InetSocketAddress address;
    private final ServerProbe probe;
    private final ConsumerSetup setup;
    private final RawRequests requests;
    private final int rampPerSecond;
    private final EventLoop loop = new EventLoop("bench-polls");
    private final PollStats stats = new PollStats();
    private final List<Poller> pollers = new ArrayList<>();
    private final Path jfr;
    private ServerProbe.Snapshot baseline;
    private final List<Plateau> plateaus = new ArrayList<>();
    /** Targets held without a refused or failed poll. */
    private final List<Integer> reached = new ArrayList<>();

    private HeldPollsBenchmark(URI base, long pid, int concurrency, int rampPerSecond, Path jfr) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        JsonHttp http = new JsonHttp(base);
        this.probe = new ServerProbe(http, pid);
        this.setup = new ConsumerSetup(http, concurrency);
        this.requests = new RawRequests(address);
        this.rampPerSecond = rampPerSecond;
        this.jfr = jfr;
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        HeldPollsBenchmark bench = new HeldPollsBenchmark(URI.create(args.required("base")), args.longValue("pid", 0),
                args.integer("concurrency", 48), args.integer("ramp", 500),
                args.string("jfr", "").isEmpty() ? null : Path.of(args.string("jfr", "")));
        List<Integer> targets = args.integers("targets", "2500,5000,10000,12000");
        Section section = bench.run(targets, args.integer("hold", 30));
        section.writeTo(Path.of(args.string("out", "target/bench/held.md")));
        bench.writeSummary(targets, Path.of(args.string("summary", "target/bench/held.json")));
        System.exit(0);
    }

    private Section run(List<Integer> targets, int holdSeconds) throws InterruptedException {
        probe.awaitReady(Duration.ofSeconds(120));
        long maxHeap = probe.maxHeapBytes();
        // One session end to end first: proves the flow works and loads the classes before the baseline.
        setup.create(1, 0);
        baseline = probe.snapshot();
        System.out.printf("Baseline: heap %s after full GC, %d threads%n", MarkdownTable.mib(baseline.heapUsedBytes()),
                baseline.threads());
        FlightRecording recording = FlightRecording.now(probe, jfr);

        String stopReason = "every target was reached";
        for (int target : targets) {
            Plateau p = plateau(target);
            plateaus.add(p);
            System.out.printf("Plateau %,d: client holds %,d, server holds %,d, heap %s, %d threads, %d failures%n",
                    target, p.clientHeld(), p.server().held(), MarkdownTable.mib(p.server().heapUsedBytes()),
                    p.server().threads(), p.failures());
            if (p.failures() > 0 || !serverHolds(target)) {
                stopReason = "stopped at the " + MarkdownTable.count(target) + " target: " + describeFailures();
                break;
            }
            reached.add(target);
        }
        int heldAtEnd = probe.held()[0];
        List<String[]> heapTop = probe.histogram(HISTOGRAM_ROWS);
        Release released = disconnectAll(holdSeconds);
        recording.stop();
        ServerProbe.Snapshot after = probe.snapshot();
        long processorsKept = probe.instances(COYOTE_REQUEST);
        loop.close();
        Section s = report(targets, holdSeconds, maxHeap, stopReason);
        heapBreakdown(s, heldAtEnd, heapTop);
        release(s, released, after, processorsKept);
        return s;
    }

    /** Tops the sessions up to {@code target}, starts their pollers at the ramp rate, and waits until all are held. */
    private Plateau plateau(int target) throws InterruptedException {
        long failuresBefore = stats.failures();
        int missing = target - pollers.size();
        System.out.printf("Making %,d sessions for the %,d target...%n", missing, target);
        long t0 = System.nanoTime();
        List<BenchSession> sessions = setup.create(missing, 0);
        double setupSeconds = seconds(System.nanoTime() - t0);

        long t1 = System.nanoTime();
        int batch = Math.max(1, rampPerSecond / 20);
        for (int i = 0; i < sessions.size(); i += batch) {
            List<Poller> started = new ArrayList<>();
            for (BenchSession s : sessions.subList(i, Math.min(i + batch, sessions.size()))) {
                started.add(new Poller(loop, address, requests, s, stats, (body, at) -> { }));
            }
            pollers.addAll(started);
            loop.execute(() -> started.forEach(Poller::start));
            Thread.sleep(50);
        }
        awaitPlateau(target);
        double rampSeconds = seconds(System.nanoTime() - t1);
        Thread.sleep(SETTLE.toMillis());
        int clientHeld = stats.outstanding.get();
        ServerProbe.Snapshot server = probe.snapshot();
        return new Plateau(target, Math.min(clientHeld, stats.outstanding.get()), server, setupSeconds, rampSeconds,
                stats.failures() - failuresBefore);
    }

    /** The server's held count and open files, sampled after the client closed its sockets: {seconds, held, files}. */
    private record Release(List<double[]> samples) {

        long heldAfter(double seconds) {
            return sampleAt(seconds, 1);
        }

        long openFilesAfter(double seconds) {
            return sampleAt(seconds, 2);
        }

        private long sampleAt(double seconds, int field) {
            return samples.stream().filter(x -> x[0] >= seconds).mapToLong(x -> (long) x[field]).findFirst().orElse(-1);
        }

        String zero() {
            return samples.stream().filter(x -> x[1] == 0).findFirst()
                    .map(x -> String.format("0 after %.1f s", x[0])).orElse("it never reached 0 while watched");
        }
    }

    /**
     * Waits until client and server both count {@code target} held polls, or the server's count
     * has stopped growing for a while (some polls refused or failing), or the time is up.
     */
    private void awaitPlateau(int target) throws InterruptedException {
        long deadline = System.nanoTime() + PLATEAU_TIMEOUT.toNanos();
        int best = -1;
        long lastGrowth = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int held = probe.held()[0];
            if (held >= target && stats.outstanding.get() >= target) {
                return;
            }
            if (held > best) {
                best = held;
                lastGrowth = System.nanoTime();
            } else if (System.nanoTime() - lastGrowth > STALLED.toNanos()) {
                return;
            }
            Thread.sleep(250);
        }
    }

    /**
     * Whether the server holds {@code target} polls: a poll answered at the end of its hold is
     * briefly not held until its poller's next poll arrives, so one reading may fall a poll or two
     * short of a plateau that is there. A few readings over a couple of seconds settle it.
     */
    private boolean serverHolds(int target) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            if (probe.held()[0] >= target) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /**
     * Closes every poll socket and watches the server's held count until it is 0 (past 10 s) or
     * the hold plus a margin has passed: does the server notice clients that went away?
     */
    private Release disconnectAll(int holdSeconds) throws InterruptedException {
        loop.call(() -> {
            pollers.forEach(Poller::stop);
            return null;
        });
        long t0 = System.nanoTime();
        List<double[]> samples = new ArrayList<>();
        while (true) {
            Thread.sleep(500);
            double elapsed = seconds(System.nanoTime() - t0);
            int held = probe.held()[0];
            samples.add(new double[] {elapsed, held, probe.openFiles()});
            if (held == 0 && elapsed >= 10 || elapsed > holdSeconds + 10) {
                return new Release(samples);
            }
        }
    }

    private String describeFailures() {
        return "503 answers " + stats.refused503.get() + ", other error statuses " + stats.otherStatus.get()
                + ", failed connects " + stats.connectFailures.get() + ", broken connections "
                + stats.connectionsBroken.get() + "; statuses seen " + stats.statuses() + "; first errors "
                + stats.errorSamples();
    }

    private Section report(List<Integer> targets, int holdSeconds, long maxHeap, String stopReason) {
        Section s = new Section();
        s.line("## Held polls (one node)").blank();
        s.line("Parameters: server `poll.hold` = %d s (pollers re-poll at once when answered, so the count holds "
                + "steady), targets %s, session set-up %d at a time, pollers started at %,d per second, one raw "
                + "non-blocking socket per poll on a single client thread. Server heap: JVM default (no -Xmx), "
                + "max %s.", holdSeconds, targets, setup.concurrency(), rampPerSecond,
                MarkdownTable.mib(maxHeap)).blank();
        s.line("Baseline before the sessions (after a full GC): heap %s used, %d live threads, %d open files.",
                MarkdownTable.mib(baseline.heapUsedBytes()), baseline.threads(), baseline.openFiles()).blank();
        MarkdownTable t = new MarkdownTable("Target", "Held (client)", "Held (server)", "Heap used after full GC",
                "Heap committed", "Δ heap since baseline / held poll", "Live threads", "Tomcat request threads (busy)", "Open files",
                "RSS", "Set-up", "Ramp");
        Plateau largest = null;
        for (Plateau p : plateaus) {
            ServerProbe.Snapshot v = p.server();
            t.row(MarkdownTable.count(p.target()), MarkdownTable.count(p.clientHeld()), MarkdownTable.count(v.held()),
                    MarkdownTable.mib(v.heapUsedBytes()), MarkdownTable.mib(v.heapCommittedBytes()),
                    MarkdownTable.kib(p.heapPerPoll(baseline)), v.threads(), v.workers() + " (" + v.busyWorkers() + ")",
                    MarkdownTable.count(v.openFiles()), MarkdownTable.mib(v.rssBytes()),
                    String.format("%.0f s", p.setupSeconds()), String.format("%.0f s", p.rampSeconds()));
            if (largest == null || v.held() > largest.server().held()) {
                largest = p;
            }
        }
        s.table(t).blank();
        if (largest != null) {
            ServerProbe.Snapshot v = largest.server();
            s.line("**Largest number of polls held at once: %s** (server's count; client's: %s), with %s of heap "
                    + "used after a full GC (%s more than the baseline, %s per held poll), %d live threads.",
                    MarkdownTable.count(v.held()), MarkdownTable.count(largest.clientHeld()),
                    MarkdownTable.mib(v.heapUsedBytes()), MarkdownTable.mib(v.heapUsedBytes() - baseline.heapUsedBytes()),
                    MarkdownTable.kib(largest.heapPerPoll(baseline)),
                    v.threads()).blank();
            s.line("Ramp: %s.", stopReason).blank();
            s.line("Session set-up: %s.", setupFailures(setup)).blank();
        }
        return s;
    }

    /** Each plateau's figures, for the targets table ({@link Targets}). */
    private void writeSummary(List<Integer> targets, Path file) throws IOException {
        ObjectNode m = JsonHttp.JSON.createObjectNode();
        m.putPOJO("targets", targets);
        ArrayNode rows = m.putArray("plateaus");
        for (Plateau p : plateaus) {
            rows.addObject().put("target", p.target()).put("clientHeld", p.clientHeld()).put("serverHeld", p.server().held())
                    .put("heapPerPollBytes", p.heapPerPoll(baseline)).put("reached", reached.contains(p.target()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), m);
    }

    /** Where the heap goes with the most polls held: the largest classes after a full GC. */
    private static void heapBreakdown(Section s, int held, List<String[]> top) {
        s.line("Largest heap classes with %s polls held (`jcmd GC.class_histogram`, after a full GC):",
                MarkdownTable.count(held)).blank();
        MarkdownTable t = new MarkdownTable("Class", "Instances", "Bytes", "Per held poll");
        for (String[] row : top) {
            long bytes = Long.parseLong(row[1]);
            t.row("`" + row[2] + "`", MarkdownTable.count(Long.parseLong(row[0])), MarkdownTable.mib(bytes),
                    MarkdownTable.kib(bytes / (double) Math.max(1, held)));
        }
        s.table(t).blank();
    }

    private void release(Section s, Release r, ServerProbe.Snapshot after, long processorsKept) {
        s.line("After the client closed every poll socket at once, the server still counted %s held polls after 1 s, "
                + "%s after 5 s and %s after 10 s (%s), with %s, %s and %s open files: held polls whose client went "
                + "away are released when their hold ends, not when the socket closes.",
                MarkdownTable.count(r.heldAfter(1)), MarkdownTable.count(r.heldAfter(5)),
                MarkdownTable.count(r.heldAfter(10)), r.zero(), MarkdownTable.count(r.openFilesAfter(1)),
                MarkdownTable.count(r.openFilesAfter(5)), MarkdownTable.count(r.openFilesAfter(10))).blank();
        s.line("Heap after that (the %s sessions remain, no poll held, %s open files): %s after a full GC; Tomcat "
                + "still kept %s `%s` objects (request processors, with their buffers) for reuse.",
                MarkdownTable.count(pollers.size()), MarkdownTable.count(after.openFiles()),
                MarkdownTable.mib(after.heapUsedBytes()), MarkdownTable.count(processorsKept), COYOTE_REQUEST);
    }

    /** The set-up's failed attempts (each retried with a fresh session), for the report. */
    static String setupFailures(ConsumerSetup setup) {
        return setup.failedAttempts() == 0 ? "no failed attempts"
                : MarkdownTable.count(setup.failedAttempts()) + " attempts failed and were made again with a fresh "
                        + "session; the first failure: " + setup.firstFailure();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
