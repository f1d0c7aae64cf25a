package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Phase 4: message throughput and delivery latency of one configuration of Parley nodes and
 * database: one node on H2, one node on PostgreSQL, or two nodes on one PostgreSQL with the
 * consumers' polls on one node (A) and the messages posted on the other (B), so that every
 * delivery crosses from B to A through PostgreSQL's NOTIFY.
 *
 * <p>The method is phase 2's ({@link DeliveryLatencyBenchmark}): sessions accepted by the stand-in
 * agent, each holding one long poll on a raw socket; stand-in agent posts round-robin over them,
 * open loop at a fixed rate through a {@link RequestPool}; each message timed from its post written
 * to the poll answer carrying it read, on the client's one selector thread; lost and duplicated
 * messages counted. Here the sessions are made (establishSessions, requestEngagement) and polled
 * on node A, and accepted and posted to through the stand-in agent on node B (the same node when
 * there is one).
 *
 * <p>The run is a series of steps on the same sessions and posting pool, each with a {@link
 * DeliveryTracker} of its own (message bodies {@code s<step>-<n> ...}):
 * <ol>
 *   <li>the fixed rate (the delivery target's 2,000/s), the latency figure: the first {@code warmup}
 *       seconds untimed, then {@code fixed-duration} seconds timed;</li>
 *   <li>then the throughput ramp: each rate of {@code rates} above the fixed one, in order, for
 *       {@code step-settle} untimed plus {@code step-duration} timed seconds, with a pause between steps
 *       to let the last messages arrive, until a step is not sustained. If the fixed rate itself is not
 *       sustained, the rates below it are tried instead, downwards, until one is.</li>
 * </ol>
 * Posts still unwritten when a step ends are dropped, and the next step waits (up to {@code drain}
 * seconds) for the last messages to arrive, so that an overloaded step does not load the next one.
 * The servers' CPU over each step's timed part is divided by the messages delivered in that time.
 *
 * <p>A step is <b>sustained</b> when (1) the sender wrote at least 99% of the step's timed posts
 * before the step ended (it kept its schedule), (2) nothing was lost, no post failed and no
 * message came twice, and (3) the p99 of delivery measured from the scheduled send time (so
 * sender lag included) is under {@code sla-ms}. Loss is final only after the drain at the end, so
 * the ramp decides on what has arrived when the next step would start, and the report gives the
 * final verdicts.
 *
 * <p>When a step looks like failing ({@code sla-ms} + 2 s before its end: the oldest undelivered
 * message is older than half the SLA, a quarter second of posts waits for a posting connection, or
 * the p99 so far is above half the SLA), two thread dumps of each node are taken a second apart and
 * summarised ({@link ThreadDumps}); the dumps are kept next to the output ({@code threads-*.txt}),
 * and so is every message's timing ({@code messages-<name>-<rate>.csv}).
 *
 * <pre>
 * NodesBenchmark --name pg2 --label "two nodes, PostgreSQL" --poll-base http://127.0.0.1:A --poll-pid PID_A
 *   [--post-base http://127.0.0.1:B --post-pid PID_B] [--poll-gc-log F] [--post-gc-log F] [--poll-log F]
 *   [--post-log F] [--postgres-pid POSTMASTER] [--database "H2 file"] [--sessions 1000] [--concurrency 16]
 *   [--post-connections 64] [--fixed-rate 2000] [--warmup 10] [--fixed-duration 60]
 *   [--rates 1000,1500,2500,3000] [--step-settle 5] [--step-duration 15] [--pause 3] [--drain 10]
 *   [--sla-ms 1000] [--out target/bench/nodes-pg2.md] [--summary target/bench/nodes-pg2.json]
 *   [--poll-jfr FILE] [--post-jfr FILE]
 * </pre>
 *
 * <p>With {@code --poll-jfr} (and {@code --post-jfr} for a second node) each node is recorded with
 * Java Flight Recorder from the fixed rate's timed part (less {@link FlightRecording#LEAD_NANOS}) to
 * the end of the last step.
 */
public final class NodesBenchmark {

    /** One Parley node and how it is watched. */
    private static final class Node {
        final String name;
        final String role;
        final URI base;
        final InetSocketAddress address;
        final JsonHttp http;
        final ServerProbe probe;
        final Path gcLog;
        final ServerLog log;
        final Path jfr;
        long logMark;
        /** The node JVM's uptime (the clock of its GC log) at {@link #nanosAtUptime}. */
        double uptime0;
        long nanosAtUptime;

        Node(String name, String role, URI base, long pid, Path gcLog, Path serverLog, Path jfr) {
            this.name = name;
            this.role = role;
            this.base = base;
            this.address = new InetSocketAddress(base.getHost(), base.getPort());
            this.http = new JsonHttp(base);
            this.probe = new ServerProbe(http, pid);
            this.gcLog = gcLog;
            this.log = new ServerLog(serverLog);
            this.jfr = jfr;
        }

        double uptimeAt(long nanos) {
            return uptime0 + (nanos - nanosAtUptime) / 1e9;
        }
    }

    /** CPU time used so far: per node, PostgreSQL, this client and the whole machine, in seconds. */
    private record Cpu(long nanos, double[] nodes, double postgres, double client, double machine) {
    }

    /** CPU used between two readings {@code seconds} apart, in cores. */
    private record CpuUse(double[] nodes, double postgres, double client, double others, double seconds) {

        String nodes(List<Node> ns) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < nodes.length; i++) {
                parts.add(String.format("%s %.2f", ns.get(i).name, nodes[i]));
            }
            return String.join(", ", parts);
        }

        double nodesTotal() {
            double t = 0;
            for (double n : nodes) {
                t += n;
            }
            return t;
        }
    }

    /** One rate, run for a while; its tracker's message bodies start with {@code s<index>-}. */
    private static final class Step {
        final int index;
        final int rate;
        final boolean fixed;
        final int untimedSeconds;
        final int timedSeconds;
        final DeliveryTracker tracker;
        long startNanos;
        long measureFromNanos;
        long endNanos;
        CpuUse cpu;
        /** Messages of any step delivered while {@link #cpu} was read: what that CPU paid for. */
        int deliveredInCpuWindow;
        /** Posts still unwritten when the step ended, dropped so that they do not load the next step. */
        int dropped;
        List<GcLog.Pauses> gc = new ArrayList<>();
        int postConnectionsAtEnd;
        String dumps;
        Verdict provisional;
        Verdict verdict;

        Step(int index, int rate, boolean fixed, int untimedSeconds, int timedSeconds) {
            this.index = index;
            this.rate = rate;
            this.fixed = fixed;
            this.untimedSeconds = untimedSeconds;
            this.timedSeconds = timedSeconds;
            this.tracker = new DeliveryTracker(rate * (untimedSeconds + timedSeconds), "s" + index + "-");
        }

        int timedMessages() {
            return rate * timedSeconds;
        }

        /** CPU microseconds per message delivered while the CPU was read; NaN when none was. */
        double microsPerMessage(double cores) {
            return deliveredInCpuWindow == 0 ? Double.NaN : cores * cpu.seconds() * 1e6 / deliveredInCpuWindow;
        }
    }

    /** Whether a step was sustained, and if not, why. */
    private record Verdict(boolean sustained, String why) {
    }

    private static final long SEC = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final String label;
    private final String database;
    private final List<Node> nodes = new ArrayList<>();
    private final Node pollNode;
    private final Node postNode;
    private final long postgresPid;
    private final ConsumerSetup setup;
    private final RawRequests pollRequests;
    private final RawRequests postRequests;
    private final EventLoop loop = new EventLoop("bench-nodes");
    private final PollStats stats = new PollStats();
    private final Map<Integer, Step> stepsByIndex = new ConcurrentHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private int strangers;
    private List<BenchSession> sessions;
    private RequestPool posts;
    private final List<FlightRecording> recordings = new ArrayList<>();

    private NodesBenchmark(Args args) {
        this.name = args.required("name");
        this.label = args.string("label", name);
        this.database = args.string("database", "");
        URI pollBase = URI.create(args.required("poll-base"));
        String postBase = args.string("post-base", "");
        boolean twoNodes = !postBase.isEmpty() && !URI.create(postBase).equals(pollBase);
        this.pollNode = new Node(twoNodes ? "A" : "node", twoNodes ? "consumers' polls" : "polls and posts", pollBase,
                args.longValue("poll-pid", 0), optionalPath(args.string("poll-gc-log", "")),
                optionalPath(args.string("poll-log", "")), optionalPath(args.string("poll-jfr", "")));
        nodes.add(pollNode);
        if (twoNodes) {
            this.postNode = new Node("B", "stand-in agent's accepts and posts", URI.create(postBase),
                    args.longValue("post-pid", 0), optionalPath(args.string("post-gc-log", "")),
                    optionalPath(args.string("post-log", "")), optionalPath(args.string("post-jfr", "")));
            nodes.add(postNode);
        } else {
            this.postNode = pollNode;
        }
        this.postgresPid = args.longValue("postgres-pid", 0);
        this.setup = new ConsumerSetup(pollNode.http, postNode.http, Endpoints.DEMO, args.integer("concurrency", 16));
        this.pollRequests = new RawRequests(pollNode.address);
        this.postRequests = new RawRequests(postNode.address);
    }

    /** What the run is asked to do. */
    private record Plan(int sessions, int postConnections, int fixedRate, int warmupSeconds, int fixedSeconds,
                        List<Integer> rates, int settleSeconds, int stepSeconds, int pauseSeconds, int drainSeconds,
                        long slaMillis, Path dumpPrefix) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        NodesBenchmark bench = new NodesBenchmark(args);
        Path out = Path.of(args.string("out", "target/bench/nodes-" + bench.name + ".md"));
        Plan plan = new Plan(args.integer("sessions", 1000), args.integer("post-connections", 64),
                args.integer("fixed-rate", 2000), args.integer("warmup", 10), args.integer("fixed-duration", 60),
                args.integers("rates", "1000,1500,2500,3000"), args.integer("step-settle", 5),
                args.integer("step-duration", 15), args.integer("pause", 3), args.integer("drain", 10),
                args.longValue("sla-ms", 1000), out.resolveSibling("threads-" + bench.name));
        Section detail = bench.run(plan);
        detail.writeTo(out);
        bench.writeSummary(plan, Path.of(args.string("summary", "target/bench/nodes-" + bench.name + ".json")));
        System.exit(0);
    }

    private Section run(Plan plan) throws InterruptedException {
        for (Node n : nodes) {
            n.probe.awaitReady(Duration.ofSeconds(120));
            n.logMark = n.log.mark();
            n.nanosAtUptime = System.nanoTime();
            n.uptime0 = n.probe.uptimeSeconds();
        }
        long setupStart = System.nanoTime();
        sessions = makeAcceptedSessions(plan.sessions());
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        startPollers();
        posts = new RequestPool(loop, postNode.address, plan.postConnections());
        loop.call(() -> {
            posts.warm(16);
            return null;
        });

        int index = 0;
        Step fixed = runStep(plan, index++, plan.fixedRate(), true, plan.warmupSeconds(), plan.fixedSeconds());
        String ramp;
        if (fixed.provisional.sustained()) {
            ramp = "upwards from the fixed rate";
            for (int rate : plan.rates().stream().filter(r -> r > plan.fixedRate()).sorted().toList()) {
                if (!runStep(plan, index++, rate, false, plan.settleSeconds(), plan.stepSeconds()).provisional.sustained()) {
                    break;
                }
            }
        } else {
            ramp = "downwards, because the fixed rate was not sustained";
            for (int rate : plan.rates().stream().filter(r -> r < plan.fixedRate()).sorted((a, b) -> b - a).toList()) {
                if (runStep(plan, index++, rate, false, plan.settleSeconds(), plan.stepSeconds()).provisional.sustained()) {
                    break;
                }
            }
        }

        for (FlightRecording r : recordings) {
            r.stop();
        }
        long drainDeadline = System.nanoTime() + plan.drainSeconds() * SEC;
        while (System.nanoTime() < drainDeadline && loop.call(() -> steps.stream().mapToInt(s -> s.tracker.missing()).sum()) > 0) {
            Thread.sleep(100);
        }
        loop.call(() -> {
            steps.forEach(s -> s.verdict = verdict(s, plan.slaMillis()));
            return null;
        });
        Section s = loop.call(() -> report(plan, setupSeconds, ramp));
        writeTimelines(plan.dumpPrefix());
        loop.close();
        return s;
    }

    /** Runs one step: posts at {@code rate} for its untimed and timed seconds, watching CPU and, if it goes badly, threads. */
    private Step runStep(Plan plan, int index, int rate, boolean fixed, int untimed, int timed)
            throws InterruptedException {
        Step step = new Step(index, rate, fixed, untimed, timed);
        stepsByIndex.put(index, step);
        steps.add(step);
        step.startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        step.measureFromNanos = step.startNanos + untimed * SEC;
        step.endNanos = step.measureFromNanos + timed * SEC;
        if (fixed) {
            nodes.forEach(n -> recordings.add(FlightRecording.before(n.probe, n.jfr, step.measureFromNanos)));
        }
        PostSender sender = new PostSender(loop, posts, m -> agentPost(step, m), step.tracker, rate,
                rate * (untimed + timed));
        loop.call(() -> {
            step.tracker.measureFrom(step.measureFromNanos);
            sender.start(step.startNanos);
            return null;
        });
        System.out.printf("Step %d: %,d messages/s for %d s (%d s untimed)...%n", index, rate, untimed + timed, untimed);
        sleepUntil(step.measureFromNanos);
        Cpu cpu0 = cpu();
        long checkAt = step.endNanos - Math.max(2 * SEC, TimeUnit.MILLISECONDS.toNanos(plan.slaMillis()) + 2 * SEC);
        sleepUntil(checkAt);
        if (looksBad(step, plan.slaMillis())) {
            step.dumps = threadDumps(plan.dumpPrefix(), step);
        }
        sleepUntil(step.endNanos);
        Cpu cpu1 = cpu();
        step.cpu = use(cpu0, cpu1);
        // A step the node cannot keep up with leaves posts queued in the client; sent late, they would load the next step.
        step.dropped = loop.call(sender::stop);
        for (Node n : nodes) {
            step.gc.add(GcLog.pauses(n.gcLog, n.uptimeAt(step.measureFromNanos), n.uptimeAt(step.endNanos)));
        }
        Thread.sleep(plan.pauseSeconds() * 1000L);
        // Likewise the messages still on their way: the next step starts once they arrived (or drain seconds passed).
        long settled = System.nanoTime() + plan.drainSeconds() * SEC;
        while (System.nanoTime() < settled && loop.call(() -> step.tracker.oldestUndeliveredNanos(System.nanoTime())) > 0) {
            Thread.sleep(100);
        }
        step.provisional = loop.call(() -> {
            step.postConnectionsAtEnd = posts.mostOpen();
            step.deliveredInCpuWindow = steps.stream().mapToInt(s -> s.tracker.receivedBetween(cpu0.nanos(), cpu1.nanos())).sum();
            return verdict(step, plan.slaMillis());
        });
        Histogram d = loop.call(() -> step.tracker.deliveryFromSchedule.copy());
        System.out.printf("    p50 %.1f ms, p99 %.1f ms from the schedule; %s%n", d.getValueAtPercentile(50) / 1000.0,
                d.getValueAtPercentile(99) / 1000.0, step.provisional.sustained() ? "sustained so far"
                        : "not sustained: " + step.provisional.why());
        return step;
    }

    /** Every message of every step, one CSV per step ({@code messages-<name>-<rate>.csv}): for a look at when things went slow. */
    private void writeTimelines(Path prefix) {
        for (Step st : steps) {
            String csv = loop.call(() -> st.tracker.csv(st.measureFromNanos));
            try {
                Files.writeString(prefix.resolveSibling("messages-" + name + "-" + st.rate + ".csv"), csv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Whether the step is going badly now: a message on its way for longer than half the SLA, a
     * backlog of a quarter second of posts, or a p99 so far above half the SLA.
     */
    private boolean looksBad(Step step, long slaMillis) {
        return loop.call(() -> {
            Histogram h = step.tracker.deliveryFromSchedule;
            return step.tracker.oldestUndeliveredNanos(System.nanoTime()) > TimeUnit.MILLISECONDS.toNanos(slaMillis) / 2
                    || posts.waiting() > step.rate / 4
                    || h.getTotalCount() > 0 && h.getValueAtPercentile(99) > slaMillis * 500;
        });
    }

    /** Two thread dumps of each node a second apart, written next to the output; returns their summary. */
    private String threadDumps(Path prefix, Step step) throws InterruptedException {
        System.out.println("    the step is falling behind: taking thread dumps");
        StringBuilder summary = new StringBuilder();
        for (Node n : nodes) {
            List<String> dumps = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                String dump = n.probe.threadDump();
                dumps.add(dump);
                Path file = prefix.resolveSibling(prefix.getFileName() + "-" + step.rate + "-" + n.name + "-" + i + ".txt");
                try {
                    Files.writeString(file, dump);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (i == 1) {
                    Thread.sleep(1000);
                }
            }
            summary.append(String.format("%n* **%s** (%s), `%s`: %s", nodes.size() > 1 ? "Node " + n.name : "The node",
                    n.role, prefix.getFileName() + "-" + step.rate + "-" + n.name + "-{1,2}.txt",
                    ThreadDumps.summarise(dumps)));
        }
        return summary.toString();
    }

    private Verdict verdict(Step s, long slaMillis) {
        DeliveryTracker t = s.tracker;
        List<String> why = new ArrayList<>();
        int written = t.writtenMeasuredBy(s.endNanos);
        if (written < 0.99 * s.timedMessages()) {
            why.add(String.format("the sender wrote %,d of %,d posts in time", written, s.timedMessages()));
        }
        long p99 = t.deliveryFromSchedule.getValueAtPercentile(99);
        if (t.deliveryFromSchedule.getTotalCount() == 0 || p99 > slaMillis * 1000) {
            why.add(String.format("p99 from the schedule %s", MarkdownTable.ms(p99)));
        }
        if (t.missing() > 0) {
            why.add(String.format("%,d not delivered", t.missing()));
        }
        if (t.postsFailed() > 0) {
            why.add(String.format("%,d posts failed", t.postsFailed()));
        }
        if (t.duplicates() > 0) {
            why.add(String.format("%,d duplicates", t.duplicates()));
        }
        return new Verdict(why.isEmpty(), String.join("; ", why));
    }

    /** Message {@code message} of {@code step}: a stand-in agent's post on the posting node, round-robin over the sessions. */
    private byte[] agentPost(Step step, int message) {
        BenchSession s = sessions.get(message % sessions.size());
        return postRequests.postJson(Endpoints.AGENT_POST, "{\"engagementId\":" + s.engagementId() + ",\"participantId\":"
                + s.agentParticipantId() + ",\"body\":\"" + step.tracker.bodyOf(message) + "\"}");
    }

    /** A chat message in a poll answer goes to the tracker of the step its body names. Loop thread. */
    private void received(String body, long at) {
        int dash = body.indexOf('-');
        Step step = null;
        if (body.startsWith("s") && dash > 1) {
            try {
                step = stepsByIndex.get(Integer.parseInt(body.substring(1, dash)));
            } catch (NumberFormatException e) {
                step = null;
            }
        }
        if (step == null) {
            strangers++;
        } else {
            step.tracker.received(body, at);
        }
    }

    private List<BenchSession> makeAcceptedSessions(int count) {
        System.out.printf("Making %,d sessions on %s, each accepted by a stand-in agent on %s...%n", count,
                pollNode.base, postNode.base);
        BenchSession first = setup.createOne(0);
        long[] agent = setup.findAgentAndAccept(first.engagementId());
        List<BenchSession> made = new ArrayList<>(count);
        made.add(first.withAgent(agent[1]));
        made.addAll(setup.create(count - 1, agent[0]));
        return made;
    }

    private void startPollers() throws InterruptedException {
        List<Poller> pollers = new ArrayList<>();
        for (BenchSession s : sessions) {
            pollers.add(new Poller(loop, pollNode.address, pollRequests, s, stats, this::received));
        }
        loop.execute(() -> pollers.forEach(Poller::start));
        long deadline = System.nanoTime() + 60 * SEC;
        while (System.nanoTime() < deadline && (stats.outstanding.get() < sessions.size()
                || pollNode.probe.held()[0] < sessions.size())) {
            Thread.sleep(200);
        }
        System.out.printf("    %,d polls held (server: %,d)%n", stats.outstanding.get(), pollNode.probe.held()[0]);
    }

    private Cpu cpu() {
        double[] n = new double[nodes.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = nodes.get(i).probe.cpuSeconds();
        }
        return new Cpu(System.nanoTime(), n, postgresPid == 0 ? 0 : ServerProbe.postgresCpuSeconds(postgresPid),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime() / 1e9, ServerProbe.machineCpuSeconds());
    }

    private static CpuUse use(Cpu a, Cpu b) {
        double secs = (b.nanos() - a.nanos()) / 1e9;
        double[] n = new double[a.nodes().length];
        double ours = 0;
        for (int i = 0; i < n.length; i++) {
            double d = b.nodes()[i] - a.nodes()[i];
            n[i] = d / secs;
            ours += d;
        }
        double pg = b.postgres() - a.postgres();
        double client = b.client() - a.client();
        ours += pg + client;
        return new CpuUse(n, pg / secs, client / secs, Math.max(0, b.machine() - a.machine() - ours) / secs, secs);
    }

    private Section report(Plan plan, double setupSeconds, String ramp) {
        Step fixed = steps.get(0);
        Section s = new Section();
        s.line("### %s", label).blank();
        List<String> who = new ArrayList<>();
        for (Node n : nodes) {
            who.add(String.format("%s (%s, port %d)", nodes.size() > 1 ? "node " + n.name : "one node", n.role,
                    n.address.getPort()));
        }
        s.line("%s; database: %s. %,d sessions made in %.0f s (%d at a time); every poll on %s, every post on %s.",
                String.join("; ", who), database, sessions.size(), setupSeconds, setup.concurrency(),
                nodes.size() > 1 ? "node A" : "the node", nodes.size() > 1 ? "node B" : "the node").blank();

        s.line("**Delivery latency at %,d messages/s** (%d s, the first %d s untimed):", fixed.rate,
                fixed.untimedSeconds + fixed.timedSeconds, fixed.untimedSeconds).blank();
        DeliveryTracker t = fixed.tracker;
        MarkdownTable latency = MarkdownTable.latencies();
        latency.latencyRow("**Delivery (post sent → poll answer)**", t.delivery);
        latency.latencyRow("Delivery from the scheduled send time", t.deliveryFromSchedule);
        latency.latencyRow("Post round trip", t.postRoundTrip);
        latency.latencyRow("Sender lag", t.sendLag);
        s.table(latency).blank();
        s.line("Sent %,d messages (%,d timed, %,.0f/s achieved%s); lost **%,d**, posts failed %,d, duplicates %,d. "
                        + "CPU in the timed part: %s, PostgreSQL %s, load client %.2f, other processes %.2f cores (of %d); "
                        + "server CPU per message delivered in it (%,d delivered): %s. Stop-the-world GC pauses in it: %s.",
                t.sent(), t.sentMeasured(), t.writtenMeasuredBy(fixed.endNanos) / (double) fixed.timedSeconds,
                fixed.dropped == 0 ? "" : String.format(", %,d not sent by the end and dropped", fixed.dropped),
                t.missing(), t.postsFailed(), t.duplicates(), fixed.cpu.nodes(nodes),
                postgresPid == 0 ? "none" : String.format("%.2f", fixed.cpu.postgres()), fixed.cpu.client(),
                fixed.cpu.others(), Runtime.getRuntime().availableProcessors(), fixed.deliveredInCpuWindow,
                cpuPerMessage(fixed), gc(fixed)).blank();

        s.line("**Throughput steps** (%s; each further step %d s untimed + %d s timed, at least %d s apart):", ramp,
                plan.settleSeconds(), plan.stepSeconds(), plan.pauseSeconds()).blank();
        MarkdownTable table = new MarkdownTable("Rate (msg/s)", "Written in time", "Delivery p50", "p99", "max",
                "p99 from schedule", "Sender lag p99", "Lost", "CPU " + (nodes.size() > 1 ? "nodes A, B" : "node"),
                "CPU PostgreSQL", "CPU client", "CPU others", "Server CPU per delivered message", "Server GC pauses",
                "Sustained");
        for (Step st : steps) {
            DeliveryTracker k = st.tracker;
            List<String> cpuNodes = new ArrayList<>();
            for (double c : st.cpu.nodes()) {
                cpuNodes.add(String.format("%.2f", c));
            }
            table.row(MarkdownTable.count(st.rate) + (st.fixed ? " (fixed)" : ""),
                    String.format("%,d / %,d%s", k.writtenMeasuredBy(st.endNanos), st.timedMessages(),
                            st.dropped == 0 ? "" : String.format(" (%,d dropped)", st.dropped)),
                    MarkdownTable.ms(k.delivery.getValueAtPercentile(50)), MarkdownTable.ms(k.delivery.getValueAtPercentile(99)),
                    MarkdownTable.ms(k.delivery.getMaxValue()), MarkdownTable.ms(k.deliveryFromSchedule.getValueAtPercentile(99)),
                    MarkdownTable.ms(k.sendLag.getValueAtPercentile(99)), MarkdownTable.count(k.missing() + k.postsFailed()),
                    String.join(", ", cpuNodes), postgresPid == 0 ? "–" : String.format("%.2f", st.cpu.postgres()),
                    String.format("%.2f", st.cpu.client()), String.format("%.2f", st.cpu.others()), cpuPerMessage(st),
                    gc(st), st.verdict.sustained() ? "yes" : "**no**: " + st.verdict.why());
        }
        s.table(table).blank();
        s.line("**Highest rate sustained: %s.**", maxSustained(plan)).blank();
        s.line("Posting connections: %,d opened, at most %,d open at once (cap %d). Poll answers: %s; polls that failed: "
                        + "%,d%s. Unmatched message bodies: %,d. Session set-up: %s.", posts.connectionsOpened(),
                posts.mostOpen(), plan.postConnections(), stats.statuses(), stats.failures(),
                stats.errorSamples().isEmpty() ? "" : " (first: " + stats.errorSamples() + ")", strangers,
                HeldPollsBenchmark.setupFailures(setup)).blank();
        for (Step st : steps) {
            if (st.dumps != null) {
                s.line("Thread dumps at %,d messages/s, taken %d s before the step's end, when it was falling behind "
                        + "(request threads and Parley's own; a thread counts where its stack first matches):%s",
                        st.rate, Math.max(2, plan.slaMillis() / 1000 + 2), st.dumps).blank();
            }
        }
        for (Node n : nodes) {
            ServerLog.Problems p = n.log.problemsSince(n.logMark);
            s.line("Server log of %s during this configuration: %s.", nodes.size() > 1 ? "node " + n.name : "the node",
                    p == null ? "not given" : p);
        }
        return s;
    }

    /** The highest sustained rate, by the final verdicts; "at least" when the top rate tried was sustained. */
    private String maxSustained(Plan plan) {
        int best = 0;
        int top = 0;
        for (Step st : steps) {
            top = Math.max(top, st.rate);
            if (st.verdict.sustained()) {
                best = Math.max(best, st.rate);
            }
        }
        if (best == 0) {
            return "none of the rates tried";
        }
        int highestPlanned = plan.rates().stream().mapToInt(Integer::intValue).max().orElse(0);
        return String.format("%s%,d messages/s%s", best == top && best >= highestPlanned ? "≥ " : "", best,
                best == top && best >= highestPlanned ? " (the highest rate tried)" : "");
    }

    /**
     * The servers' CPU over a step's timed part divided by the messages delivered in it, with the
     * share of each node and of PostgreSQL: "640 µs (A 310, B 120, PostgreSQL 210)".
     */
    private String cpuPerMessage(Step st) {
        double total = st.microsPerMessage(st.cpu.nodesTotal() + st.cpu.postgres());
        if (Double.isNaN(total)) {
            return "– (none delivered)";
        }
        if (nodes.size() == 1 && postgresPid == 0) {
            return String.format("%,.0f µs", total);
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            parts.add(String.format("%s %,.0f", nodes.get(i).name, st.microsPerMessage(st.cpu.nodes()[i])));
        }
        if (postgresPid != 0) {
            parts.add(String.format("PostgreSQL %,.0f", st.microsPerMessage(st.cpu.postgres())));
        }
        return String.format("%,.0f µs (%s)", total, String.join(", ", parts));
    }

    private String gc(Step st) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            GcLog.Pauses p = st.gc.get(i);
            parts.add((nodes.size() > 1 ? nodes.get(i).name + ": " : "") + (p == null ? "no log"
                    : p.count() == 0 ? "none" : String.format("%d, longest %.0f ms", p.count(), p.maxMillis())));
        }
        return String.join("; ", parts);
    }

    /** The figures of the comparison table, for {@link NodesReport}. */
    private void writeSummary(Plan plan, Path file) {
        Step fixed = steps.get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("parameters", parameters(plan));
        m.put("label", label);
        m.put("nodes", nodes.size());
        m.put("sessions", sessions.size());
        m.put("fixedRate", fixed.rate);
        m.put("fixedSeconds", fixed.timedSeconds);
        DeliveryTracker t = fixed.tracker;
        m.put("timedMessages", fixed.timedMessages());
        m.put("writtenInTime", t.writtenMeasuredBy(fixed.endNanos));
        m.put("p50Micros", t.delivery.getValueAtPercentile(50));
        m.put("p99Micros", t.delivery.getValueAtPercentile(99));
        m.put("p50", MarkdownTable.ms(t.delivery.getValueAtPercentile(50)));
        m.put("p90", MarkdownTable.ms(t.delivery.getValueAtPercentile(90)));
        m.put("p99", MarkdownTable.ms(t.delivery.getValueAtPercentile(99)));
        m.put("max", MarkdownTable.ms(t.delivery.getMaxValue()));
        m.put("p99FromSchedule", MarkdownTable.ms(t.deliveryFromSchedule.getValueAtPercentile(99)));
        m.put("lost", t.missing() + t.postsFailed());
        m.put("duplicates", t.duplicates());
        m.put("cpuNodes", fixed.cpu.nodes(nodes));
        m.put("cpuPostgres", postgresPid == 0 ? "–" : String.format("%.2f", fixed.cpu.postgres()));
        m.put("cpuClient", String.format("%.2f", fixed.cpu.client()));
        m.put("cpuOthers", String.format("%.2f", fixed.cpu.others()));
        m.put("gc", gc(fixed));
        // What one message costs the servers: a measure that does not depend on how many cores the machine has.
        m.put("cpuPerMessage", cpuPerMessage(fixed));
        m.put("deliveredInCpuWindow", fixed.deliveredInCpuWindow);
        if (fixed.deliveredInCpuWindow > 0) {
            m.put("cpuMicrosPerMessage", fixed.microsPerMessage(fixed.cpu.nodesTotal() + fixed.cpu.postgres()));
            m.put("cpuMicrosPerMessageNodes", fixed.microsPerMessage(fixed.cpu.nodesTotal()));
            if (postgresPid != 0) {
                m.put("cpuMicrosPerMessagePostgres", fixed.microsPerMessage(fixed.cpu.postgres()));
            }
        }
        m.put("maxSustained", maxSustained(plan));
        Step firstFailed = steps.stream().filter(st -> !st.verdict.sustained()).findFirst().orElse(null);
        m.put("firstFailed", firstFailed == null ? "" : String.format("%,d/s: %s", firstFailed.rate, firstFailed.verdict.why()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The method, in words, for the head of the phase's section (the same for every configuration). */
    private static String parameters(Plan plan) {
        List<String> above = new ArrayList<>();
        List<String> below = new ArrayList<>();
        for (int r : plan.rates().stream().sorted().toList()) {
            (r > plan.fixedRate() ? above : below).add(MarkdownTable.count(r));
        }
        return String.format("Parameters: %,d sessions, made on the polling node and each accepted by the stand-in agent "
                + "on the posting node (the same node when there is one), each holding one long poll (re-polled at once "
                + "after every answer); stand-in agent posts round-robin over the sessions, open loop, through up to %d "
                + "keep-alive connections; latency = post request written → poll answer carrying the message read, on the "
                + "client's one selector thread (phase 2's method). **Delivery latency** at a fixed %,d messages/s for %d s, "
                + "the first %d s untimed. **Throughput**: then steps of %s messages/s (each %d s untimed + %d s timed, "
                + "at least %d s apart) until one is not sustained%s. Posts not yet written when a step ends are dropped, "
                + "and the next step waits up to %d s for the last messages to arrive, so that a step the servers "
                + "could not keep up with does not load the next. A step is **sustained** when the sender wrote at least "
                + "99%% of its timed posts before the step ended, nothing was lost (%d s drain at the end), no post "
                + "failed, no message came twice, and the p99 of delivery from the scheduled send time (sender lag "
                + "included) is under %,d ms. **Server CPU per delivered message** is the CPU time of the node(s) and "
                + "PostgreSQL over a step's timed part divided by the messages delivered in that time. Server settings "
                + "are the defaults (`poll.hold` 25 s, 32 database connections, 4 delivery threads; on PostgreSQL "
                + "NOTIFY/LISTEN wake-ups and a sweep every 2 s).",
                plan.sessions(), plan.postConnections(), plan.fixedRate(), plan.warmupSeconds() + plan.fixedSeconds(),
                plan.warmupSeconds(), above.isEmpty() ? "none" : String.join(", ", above), plan.settleSeconds(),
                plan.stepSeconds(), plan.pauseSeconds(), below.isEmpty() ? "" : "; " + String.join(", ", below)
                        + " only if the fixed rate is not sustained, downwards until one is",
                plan.drainSeconds(), plan.drainSeconds(), plan.slaMillis());
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static Path optionalPath(String p) {
        return p.isEmpty() ? null : Path.of(p);
    }
}
