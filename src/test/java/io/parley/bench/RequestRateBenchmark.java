package io.parley.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phase 5, one server: requests per second and wrk's latency percentiles of one or more request
 * kinds, each measured by {@code wrk} with a fixed number of connections (closed loop: each
 * connection sends its next request as soon as the last is answered). Each kind gets an untimed
 * warm-up run first. The server's CPU, wrk's and other processes' is read around each timed run.
 * Run once per server (the bare floors, then Parley); {@link RequestRateReport} puts the results
 * side by side.
 *
 * <p>The kinds ({@code --targets}):
 * <ul>
 *   <li>{@code bare}: {@code GET /bare} of {@link BareTomcat};</li>
 *   <li>{@code live}: Parley's {@code GET /health/live} (its filters and Jersey, no work);</li>
 *   <li>{@code queue-stats}: {@code GET getQueueStats} of the demo site's queue 1 (no session; it spends the
 *       client address's request budget, which the server must be started with raised);</li>
 *   <li>{@code post-chats}: the consumer's {@code postMessage}, round-robin over {@code --chats} open chats
 *       ({@code benchmark/post-message.lua});</li>
 *   <li>{@code post-one-chat}: {@code postMessage} to one chat from every connection.</li>
 * </ul>
 * The chats are consumer sessions made as a widget makes them and accepted by the stand-in agent,
 * as in phase 2, so they are live chats that no queue timeout ends.
 *
 * <pre>
 * RequestRateBenchmark --server NAME --label LABEL --base http://127.0.0.1:PORT --pid SERVER_PID --targets live,...
 *   [--threads 1] [--connections 64] [--warmup 10] [--duration 20] [--pause 2] [--chats 200]
 *   [--script benchmark/post-message.lua] [--jfr-dir DIR] [--out target/bench/rates-NAME.json]
 * </pre>
 *
 * With {@code --jfr-dir}, each timed run is recorded with Java Flight Recorder into
 * {@code DIR/jfr-rates-<target>.jfr} (started after the warm-up, stopped at the end of the run).
 */
public final class RequestRateBenchmark {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m|h)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** One kind of request: what wrk is pointed at. */
    private record Target(String name, String label, String path, Path sessions) {
    }

    /** How wrk runs. */
    private record Plan(int threads, int connections, int warmupSeconds, int durationSeconds, int pauseSeconds,
                        int chats, Path script, Path jfrDir) {
    }

    private final String server;
    private final String label;
    private final URI base;
    private final ServerProbe probe;
    private final JsonHttp http;

    private RequestRateBenchmark(String server, String label, URI base, long pid) {
        this.server = server;
        this.label = label;
        this.base = base;
        this.http = new JsonHttp(base);
        this.probe = new ServerProbe(http, pid);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String server = args.required("server");
        RequestRateBenchmark bench = new RequestRateBenchmark(server, args.string("label", server),
                URI.create(args.required("base")), args.longValue("pid", 0));
        String jfrDir = args.string("jfr-dir", "");
        Plan plan = new Plan(args.integer("threads", 1), args.integer("connections", 64), args.integer("warmup", 10),
                args.integer("duration", 20), args.integer("pause", 2), args.integer("chats", 200),
                Path.of(args.string("script", "benchmark/post-message.lua")), jfrDir.isEmpty() ? null : Path.of(jfrDir));
        Path out = Path.of(args.string("out", "target/bench/rates-" + server + ".json"));
        bench.run(List.of(args.required("targets").split(",")), plan, out);
        System.exit(0);
    }

    private void run(List<String> targetNames, Plan plan, Path out) throws InterruptedException, IOException {
        awaitReady(targetNames.contains("bare") ? "/bare" : "/health/live", Duration.ofSeconds(120));
        List<Target> targets = new ArrayList<>();
        for (String name : targetNames) {
            targets.add(target(name.trim(), plan, out.resolveSibling("rates-sessions-" + name.trim() + ".txt")));
        }
        ArrayNode results = JsonHttp.JSON.createArrayNode();
        for (Target t : targets) {
            System.out.printf("%s, %s: %d s warm-up, then %d s timed (wrk -t%d -c%d)...%n", label, t.label(),
                    plan.warmupSeconds(), plan.durationSeconds(), plan.threads(), plan.connections());
            wrk(t, plan, plan.warmupSeconds());
            Thread.sleep(plan.pauseSeconds() * 1000L);
            Path jfr = plan.jfrDir() == null ? null : plan.jfrDir().resolve("jfr-rates-" + t.name() + ".jfr");
            probe.startRecording(jfr);
            double server0 = probe.cpuSeconds();
            double children0 = childrenCpuSeconds();
            double machine0 = ServerProbe.machineCpuSeconds();
            long t0 = System.nanoTime();
            String output = wrk(t, plan, plan.durationSeconds());
            double seconds = (System.nanoTime() - t0) / 1e9;
            double serverCpu = probe.cpuSeconds() - server0;
            double wrkCpu = childrenCpuSeconds() - children0;
            double othersCpu = ServerProbe.machineCpuSeconds() - machine0 - serverCpu - wrkCpu;
            probe.stopRecording(jfr);
            ObjectNode r = parse(output);
            r.put("server", server).put("serverLabel", label).put("target", t.name()).put("label", t.label())
                    .put("path", t.path()).put("serverCores", serverCpu / seconds).put("wrkCores", wrkCpu / seconds)
                    .put("otherCores", Math.max(0, othersCpu) / seconds)
                    .put("parameters", String.format("wrk -t%d -c%d --latency --timeout 10s, %d s warm-up (untimed), "
                                    + "then %d s timed", plan.threads(), plan.connections(), plan.warmupSeconds(),
                            plan.durationSeconds()));
            if (t.sessions() != null) {
                r.put("chats", Files.readAllLines(t.sessions()).size());
            }
            results.add(r);
            System.out.printf("    %,.0f requests/s, p50 %s, p99 %s; %d errors; server %.2f cores, wrk %.2f cores%n",
                    r.path("rate").asDouble(), RequestRateReport.micros(r.path("p50Micros").asLong()),
                    RequestRateReport.micros(r.path("p99Micros").asLong()), r.path("errors").asLong(),
                    serverCpu / seconds, wrkCpu / seconds);
            Thread.sleep(plan.pauseSeconds() * 1000L);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
    }

    private Target target(String name, Plan plan, Path sessionsFile) {
        String queueStats = Endpoints.DEMO.consumer("getQueueStats") + "&request="
                + java.net.URLEncoder.encode("{\"queueId\":1}", StandardCharsets.UTF_8);
        return switch (name) {
            case "bare" -> new Target(name, "`GET /bare`", "/bare", null);
            case "live" -> new Target(name, "`GET /health/live`", "/health/live", null);
            case "queue-stats" -> new Target(name, "`GET getQueueStats`", queueStats, null);
            case "post-chats" -> new Target(name, String.format("`postMessage`, %d chats", plan.chats()),
                    Endpoints.DEMO.consumer("postMessage"), sessions(plan.chats(), sessionsFile));
            case "post-one-chat" -> new Target(name, "`postMessage`, one chat", Endpoints.DEMO.consumer("postMessage"),
                    sessions(1, sessionsFile));
            default -> throw new IllegalArgumentException("Unknown target " + name
                    + " (bare, live, queue-stats, post-chats, post-one-chat)");
        };
    }

    /** Makes {@code count} chats, each accepted by the stand-in agent, and writes their SessionIds for the wrk script. */
    private Path sessions(int count, Path file) {
        System.out.printf("Making %,d chat%s, each accepted by a stand-in agent...%n", count, count == 1 ? "" : "s");
        ConsumerSetup setup = new ConsumerSetup(http, 16);
        BenchSession first = setup.createOne(0);
        long[] agent = setup.findAgentAndAccept(first.engagementId());
        List<String> ids = new ArrayList<>(List.of(first.sessionId()));
        setup.create(count - 1, agent[0]).forEach(s -> ids.add(s.sessionId()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (setup.failedAttempts() > 0) {
            System.out.printf("    %d set-up attempts failed, first: %s%n", setup.failedAttempts(), setup.firstFailure());
        }
        return file;
    }

    /** Runs wrk for {@code seconds} and returns what it printed; fails the phase if wrk fails. */
    private String wrk(Target t, Plan plan, int seconds) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + plan.threads(), "-c" + plan.connections(),
                "-d" + seconds + "s", "--latency", "--timeout", "10s"));
        if (t.sessions() != null) {
            cmd.addAll(List.of("-s", plan.script().toString()));
        }
        cmd.add(base.resolve(t.path()).toString());
        if (t.sessions() != null) {
            cmd.addAll(List.of("--", t.sessions().toString()));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run wrk (apt-get install -y wrk)", e);
        }
    }

    /** The figures of wrk's output: rate, latency percentiles in microseconds, requests and errors. */
    static ObjectNode parse(String out) {
        ObjectNode r = JsonHttp.JSON.createObjectNode();
        Matcher rate = RATE.matcher(out);
        if (!rate.find()) {
            throw new IllegalStateException("No Requests/sec in wrk's output: " + out);
        }
        r.put("rate", Double.parseDouble(rate.group(1)));
        Matcher pc = PERCENTILE.matcher(out);
        while (pc.find()) {
            r.put("p" + pc.group(1) + "Micros", toMicros(Double.parseDouble(pc.group(2)), pc.group(3)));
        }
        Matcher total = TOTAL.matcher(out);
        if (total.find()) {
            r.put("requests", Long.parseLong(total.group(1)));
            r.put("seconds", toMicros(Double.parseDouble(total.group(2)), total.group(3)) / 1e6);
        }
        long socketErrors = 0;
        Matcher se = SOCKET_ERRORS.matcher(out);
        if (se.find()) {
            for (int i = 1; i <= 4; i++) {
                socketErrors += Long.parseLong(se.group(i));
            }
            r.put("socketErrors", se.group().toLowerCase(Locale.ROOT));
        }
        Matcher bad = NON_2XX.matcher(out);
        long non2xx = bad.find() ? Long.parseLong(bad.group(1)) : 0;
        r.put("non2xx", non2xx);
        r.put("errors", non2xx + socketErrors);
        return r;
    }

    private static long toMicros(double value, String unit) {
        return Math.round(value * switch (unit) {
            case "us" -> 1;
            case "ms" -> 1_000;
            case "s" -> 1_000_000;
            case "m" -> 60_000_000;
            default -> 3_600_000_000L;
        });
    }

    /** Waits until {@code path} answers 200: the bare server is up, or Parley has deployed. */
    private void awaitReady(String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(probe.pid()).map(p -> !p.isAlive()).orElse(true)) {
                throw new IllegalStateException("The server process " + probe.pid() + " has exited; see its log");
            }
            try {
                if (http.get(path).status() == 200) {
                    return;
                }
            } catch (IllegalStateException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The server did not answer " + path + " within " + timeout);
    }

    /** CPU time of this JVM's ended children (wrk, jcmd), in seconds: the kernel adds a child's when it is reaped. */
    private static double childrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
