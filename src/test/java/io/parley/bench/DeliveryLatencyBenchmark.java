package io.parley.bench;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Phase 2: the latency from an agent's posted message to the answer of the consumer's waiting
 * poll that carries it, at a steady message rate.
 *
 * <p>Makes the sessions, each accepted by the stand-in agent, and keeps one long poll open per
 * session ({@link Poller}, re-polling at once after every answer). Then {@link PostSender} posts
 * messages round-robin over the sessions at a fixed rate, open loop, for the duration; each
 * message is timed from the moment its post was written to the moment the poll answer carrying
 * it was read ({@link DeliveryTracker}). The warm-up is not timed. After the run, messages not
 * received within the drain period count as lost.
 *
 * <pre>
 * DeliveryLatencyBenchmark --base http://127.0.0.1:PORT --pid SERVER_PID [--sessions 1000] [--rate 1000]
 *   [--duration 60] [--warmup 10] [--drain 10] [--post-connections 64] [--concurrency 16]
 *   [--out target/bench/latency.md] [--jfr FILE]
 * </pre>
 *
 * <p>With {@code --jfr} the server is recorded with Java Flight Recorder over the timed part (from
 * {@link FlightRecording#LEAD_NANOS} before it) into {@code FILE}.
 */
public final class DeliveryLatencyBenchmark {

    private final InetSocketAddress address;
    private final ServerProbe probe;
    private final ConsumerSetup setup;
    private final RawRequests requests;
    private final EventLoop loop = new EventLoop("bench-latency");
    private final PollStats stats = new PollStats();

    private DeliveryLatencyBenchmark(URI base, long pid, int concurrency) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        JsonHttp http = new JsonHttp(base);
        this.probe = new ServerProbe(http, pid);
        this.setup = new ConsumerSetup(http, concurrency);
        this.requests = new RawRequests(address);
    }

    /** What the run is asked to do. */
    private record Plan(int sessions, int rate, int durationSeconds, int warmupSeconds, int drainSeconds,
                        int postConnections, Path serverGcLog, Path clientGcLog, Path jfr) {

        int messages() {
            return rate * durationSeconds;
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        DeliveryLatencyBenchmark bench = new DeliveryLatencyBenchmark(URI.create(args.required("base")),
                args.longValue("pid", 0), args.integer("concurrency", 16));
        Plan plan = new Plan(args.integer("sessions", 1000), args.integer("rate", 1000), args.integer("duration", 60),
                args.integer("warmup", 10), args.integer("drain", 10), args.integer("post-connections", 64),
                optionalPath(args.string("server-gc-log", "")), optionalPath(args.string("client-gc-log", "")),
                optionalPath(args.string("jfr", "")));
        bench.run(plan).writeTo(Path.of(args.string("out", "target/bench/latency.md")));
        System.exit(0);
    }

    private Section run(Plan plan) throws InterruptedException {
        probe.awaitReady(Duration.ofSeconds(120));
        List<BenchSession> sessions = makeAcceptedSessions(plan.sessions());
        DeliveryTracker tracker = new DeliveryTracker(plan.messages());
        startPollers(sessions, tracker);

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        RequestPool posts = new RequestPool(loop, address, plan.postConnections());
        PostSender sender = new PostSender(loop, posts, message -> agentPost(sessions, message), tracker, plan.rate(),
                plan.messages());
        double serverCpu0 = probe.cpuSeconds();
        double clientCpu0 = clientCpuSeconds();
        double machineCpu0 = ServerProbe.machineCpuSeconds();
        double serverUptime0 = probe.uptimeSeconds();
        double clientUptime0 = clientUptimeSeconds();
        loop.call(() -> {
            tracker.measureFrom(start + TimeUnit.SECONDS.toNanos(plan.warmupSeconds()));
            posts.warm(16);
            sender.start(start);
            return null;
        });
        System.out.printf("Posting %,d messages/s for %d s (the first %d s are warm-up)...%n", plan.rate(),
                plan.durationSeconds(), plan.warmupSeconds());
        FlightRecording jfr = FlightRecording.before(probe, plan.jfr(), start + TimeUnit.SECONDS.toNanos(plan.warmupSeconds()));
        long end = start + TimeUnit.SECONDS.toNanos(plan.durationSeconds());
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        double serverCpu = probe.cpuSeconds() - serverCpu0;
        double clientCpu = clientCpuSeconds() - clientCpu0;
        double othersCpu = ServerProbe.machineCpuSeconds() - machineCpu0 - serverCpu - clientCpu;
        // The timed part of the run only: warm-up pauses are not in the histogram either.
        GcLog.Pauses serverGc = GcLog.pauses(plan.serverGcLog(), serverUptime0 + plan.warmupSeconds(), probe.uptimeSeconds());
        GcLog.Pauses clientGc = GcLog.pauses(plan.clientGcLog(), clientUptime0 + plan.warmupSeconds(), clientUptimeSeconds());
        jfr.stop();
        double measuredSeconds = plan.durationSeconds() - plan.warmupSeconds();

        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.drainSeconds());
        while (System.nanoTime() < drainDeadline && loop.call(tracker::missing) > 0) {
            Thread.sleep(100);
        }
        Section s = loop.call(() -> report(plan, tracker, posts, measuredSeconds, serverCpu, clientCpu,
                othersCpu));
        s.blank().line("Stop-the-world GC pauses in the timed %d s: server %s; load client %s.",
                plan.durationSeconds() - plan.warmupSeconds(), serverGc == null ? "no GC log given" : serverGc,
                clientGc == null ? "no GC log given" : clientGc);
        loop.close();
        return s;
    }

    /** Message {@code message}'s post through the stand-in agent, round-robin over the sessions. */
    private byte[] agentPost(List<BenchSession> sessions, int message) {
        BenchSession s = sessions.get(message % sessions.size());
        return requests.postJson(Endpoints.AGENT_POST, "{\"engagementId\":" + s.engagementId() + ",\"participantId\":"
                + s.agentParticipantId() + ",\"body\":\"" + DeliveryTracker.body(message) + "\"}");
    }

    /** The first session finds the agent account (see {@link ConsumerSetup#findAgentAndAccept}); the rest use it. */
    private List<BenchSession> makeAcceptedSessions(int count) {
        System.out.printf("Making %,d sessions, each accepted by a stand-in agent...%n", count);
        BenchSession first = setup.createOne(0);
        long[] agent = setup.findAgentAndAccept(first.engagementId());
        System.out.printf("    agent account id %d (found by trying ids from 1)%n", agent[0]);
        List<BenchSession> sessions = new ArrayList<>(count);
        sessions.add(first.withAgent(agent[1]));
        sessions.addAll(setup.create(count - 1, agent[0]));
        return sessions;
    }

    /** One poller per session; waits until every one holds a poll (the opening messages are drained). */
    private void startPollers(List<BenchSession> sessions, DeliveryTracker tracker) throws InterruptedException {
        List<Poller> pollers = new ArrayList<>();
        for (BenchSession s : sessions) {
            pollers.add(new Poller(loop, address, requests, s, stats, tracker::received));
        }
        loop.execute(() -> pollers.forEach(Poller::start));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && (stats.outstanding.get() < sessions.size()
                || probe.held()[0] < sessions.size())) {
            Thread.sleep(200);
        }
        System.out.printf("    %,d polls held (server: %,d)%n", stats.outstanding.get(), probe.held()[0]);
    }

    private static Path optionalPath(String p) {
        return p.isEmpty() ? null : Path.of(p);
    }

    private static double clientUptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }

    private static double clientCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private Section report(Plan plan, DeliveryTracker t, RequestPool posts, double measuredSeconds, double serverCpu,
                           double clientCpu, double othersCpu) {
        Section s = new Section();
        s.line("## Delivery latency: agent post → waiting consumer poll").blank();
        s.line("Parameters: %,d sessions, each accepted by the stand-in agent and holding one long poll (re-polled at "
                + "once after every answer); agent messages posted round-robin at %,d/s open loop for %d s, the first %d s "
                + "warm-up (not timed); up to %d posting connections; server `poll.hold` default (25 s). Latency = post "
                + "request written → poll answer carrying the message read, both on the client's one selector thread.",
                plan.sessions(), plan.rate(), plan.durationSeconds(), plan.warmupSeconds(), plan.postConnections()).blank();
        MarkdownTable latency = MarkdownTable.latencies();
        latency.latencyRow("**Delivery (post sent → poll answer)**", t.delivery);
        latency.latencyRow("Delivery from the scheduled send time (adds the sender lag)", t.deliveryFromSchedule);
        latency.latencyRow("Post round trip (post sent → post answered)", t.postRoundTrip);
        latency.latencyRow("Sender lag (scheduled → post sent)", t.sendLag);
        s.table(latency).blank();
        s.line("Achieved send rate: %,.0f messages/s over the timed %.0f s (target %,d/s); %,d messages sent in all, "
                + "%,d received. Lost (post answered 200, message never received within %d s after the run): **%,d**. "
                + "Posts failed or lost in transit: %,d. Duplicates: %,d; unmatched message bodies: %,d. Posting "
                + "connections opened: %,d (%,d failed to connect).",
                t.sentMeasured() / measuredSeconds, measuredSeconds, plan.rate(), t.sent(), t.received(),
                plan.drainSeconds(), t.missing(), t.postsFailed(), t.duplicates(), t.strangers(),
                posts.connectionsOpened(), posts.connectFailures()).blank();
        s.line("CPU during the run: server %.2f cores, load client %.2f cores, other processes on the machine %.2f "
                + "cores (of %d). Poll answers: %s; polls that failed: %,d.", serverCpu / plan.durationSeconds(),
                clientCpu / plan.durationSeconds(), Math.max(0, othersCpu) / plan.durationSeconds(),
                Runtime.getRuntime().availableProcessors(), stats.statuses(), stats.failures());
        s.blank().line("Session set-up (%d at a time): %s.", setup.concurrency(), HeldPollsBenchmark.setupFailures(setup));
        if (!stats.errorSamples().isEmpty()) {
            s.blank().line("First poll errors: %s", stats.errorSamples());
        }
        return s;
    }


}
