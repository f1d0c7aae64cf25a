package io.parley.bench;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Phase 3: the round trip consumer → agent → consumer over the real agent API, with many
 * conversations open at once on one node.
 *
 * <p>The bots of the {@code bench} site ({@code benchmark/round-trip-seed.json}) log on as
 * automated agents that accept offers themselves ({@link AgentBot}) and each hold one agent long
 * poll. Then the conversations are made as a widget makes them ({@code establishSessions},
 * {@code requestEngagement}); routing gives each to the bot that has been idle longest. Every
 * conversation keeps one consumer long poll open ({@link Poller}), and the run waits until every
 * consumer has seen its bot join. Then the consumers post messages round-robin at a fixed total
 * rate, open loop ({@link PostSender}); a bot answers every message as soon as its poll delivers
 * it, with a reply that carries the message's number. {@link RoundTripTracker} times each message
 * from the consumer's post written to the consumer's poll answer carrying the reply read, with the
 * hops in between. The warm-up is not timed; replies missing after the drain period count as lost.
 *
 * <p>Conversations are made 4 at a time, not 16 as in phase 2: with logged-on agents, 16 concurrent
 * {@code requestEngagement} calls exhaust the server's 16 database connections while routing holds
 * the queue's row lock and waits for a second connection, and the server answers 503 (see
 * {@code benchmark/README.md}). Set-up is not what is measured; {@code --concurrency 16} shows it.
 *
 * <pre>
 * RoundTripBenchmark --base http://127.0.0.1:PORT --pid SERVER_PID [--conversations 1000] [--bots 4]
 *   [--chats-per-bot 250] [--rate 200] [--duration 60] [--warmup 10] [--drain 10] [--post-connections 64]
 *   [--reply-connections 16] [--concurrency 4] [--server-gc-log F] [--client-gc-log F] [--server-log F]
 *   [--out target/bench/round-trip.md] [--jfr FILE]
 * </pre>
 *
 * <p>With {@code --jfr} the server is recorded with Java Flight Recorder over the timed part (from
 * {@link FlightRecording#LEAD_NANOS} before it) into {@code FILE}.
 */
public final class RoundTripBenchmark {

    private static final String PARTICIPANT_ADDED = "RNEngagementParticipantAddedMessage";
    private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(120);
    /** How long the server's CPU is watched with every poll held and no message sent, before the run. */
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);

    /** What the run is asked to do. */
    private record Plan(int conversations, int bots, int chatsPerBot, int rate, int durationSeconds, int warmupSeconds,
                        int drainSeconds, int postConnections, int replyConnections, Path serverGcLog,
                        Path clientGcLog, Path jfr) {

        int messages() {
            return rate * durationSeconds;
        }
    }

    /** How the set-up went. */
    private record SetUp(double botsSeconds, double conversationsSeconds, double acceptSeconds, int accepted) {
    }

    /** Live threads and open files sampled from {@code /proc} during the timed run: the most seen. */
    private record DuringRun(int maxThreads, int maxOpenFiles) {
    }

    private final InetSocketAddress address;
    private final JsonHttp http;
    private final ServerProbe probe;
    private final ConsumerSetup setup;
    private final RawRequests requests;
    private final ServerLog serverLog;
    private final EventLoop loop = new EventLoop("bench-round-trip");
    private final PollStats consumerPolls = new PollStats();
    private final PollStats botPolls = new PollStats();
    private final Statuses replies = new Statuses();

    private RoundTripBenchmark(URI base, long pid, int concurrency, Path serverLog) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.http = new JsonHttp(base);
        this.probe = new ServerProbe(http, pid);
        this.setup = new ConsumerSetup(http, Endpoints.BENCH, concurrency);
        this.requests = new RawRequests(address);
        this.serverLog = new ServerLog(serverLog);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        RoundTripBenchmark bench = new RoundTripBenchmark(URI.create(args.required("base")), args.longValue("pid", 0),
                args.integer("concurrency", 4), optionalPath(args.string("server-log", "")));
        Plan plan = new Plan(args.integer("conversations", 1000), args.integer("bots", 4),
                args.integer("chats-per-bot", 250), args.integer("rate", 200), args.integer("duration", 60),
                args.integer("warmup", 10), args.integer("drain", 10), args.integer("post-connections", 64),
                args.integer("reply-connections", 16), optionalPath(args.string("server-gc-log", "")),
                optionalPath(args.string("client-gc-log", "")), optionalPath(args.string("jfr", "")));
        bench.run(plan).writeTo(Path.of(args.string("out", "target/bench/round-trip.md")));
        System.exit(0);
    }

    private Section run(Plan plan) throws InterruptedException {
        probe.awaitReady(Duration.ofSeconds(120));
        long logMark = serverLog.mark();
        RoundTripTracker tracker = new RoundTripTracker(plan.messages(), plan.conversations());

        long t0 = System.nanoTime();
        List<AgentBot> bots = startBots(plan, tracker);
        double botsSeconds = seconds(System.nanoTime() - t0);

        System.out.printf("Making %,d conversations (%d at a time); the bots take them...%n", plan.conversations(),
                setup.concurrency());
        long t1 = System.nanoTime();
        List<BenchSession> sessions = setup.create(plan.conversations(), 0);
        double conversationsSeconds = seconds(System.nanoTime() - t1);
        long t2 = System.nanoTime();
        int accepted = startConsumerPollers(sessions, bots.size(), tracker);
        SetUp setUp = new SetUp(botsSeconds, conversationsSeconds, seconds(System.nanoTime() - t2), accepted);
        System.out.printf("    %,d of %,d conversations accepted by a bot; %,d consumer polls held (server holds %,d "
                + "polls in all)%n", accepted, sessions.size(), consumerPolls.outstanding.get(), probe.held()[0]);

        ServerProbe.Snapshot before = probe.snapshot();
        double idleCpu0 = probe.cpuSeconds();
        Thread.sleep(IDLE_WINDOW.toMillis());
        double idleCores = (probe.cpuSeconds() - idleCpu0) / IDLE_WINDOW.toSeconds();
        RequestPool posts = new RequestPool(loop, address, plan.postConnections());
        PostSender sender = new PostSender(loop, posts, message -> consumerPost(sessions, message), tracker,
                plan.rate(), plan.messages());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
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
        System.out.printf("Consumers post %,d messages/s for %d s (the first %d s are warm-up); the bots answer each...%n",
                plan.rate(), plan.durationSeconds(), plan.warmupSeconds());
        FlightRecording jfr = FlightRecording.before(probe, plan.jfr(), start + TimeUnit.SECONDS.toNanos(plan.warmupSeconds()));
        DuringRun during = watch(start + TimeUnit.SECONDS.toNanos(plan.durationSeconds()));
        double serverCpu = probe.cpuSeconds() - serverCpu0;
        double clientCpu = clientCpuSeconds() - clientCpu0;
        double othersCpu = ServerProbe.machineCpuSeconds() - machineCpu0 - serverCpu - clientCpu;
        GcLog.Pauses serverGc = GcLog.pauses(plan.serverGcLog(), serverUptime0 + plan.warmupSeconds(),
                probe.uptimeSeconds());
        GcLog.Pauses clientGc = GcLog.pauses(plan.clientGcLog(), clientUptime0 + plan.warmupSeconds(),
                clientUptimeSeconds());
        jfr.stop();

        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.drainSeconds());
        while (System.nanoTime() < drainDeadline && loop.call(tracker::missing) > 0) {
            Thread.sleep(100);
        }
        ServerProbe.Snapshot after = probe.snapshot();
        ServerLog.Problems problems = serverLog.problemsSince(logMark);
        Section s = loop.call(() -> report(plan, tracker, bots, sender, posts, setUp, serverCpu, clientCpu,
                othersCpu, idleCores));
        server(s, plan, before, after, during);
        s.blank().line("Stop-the-world GC pauses in the timed %d s: server %s; load client %s.",
                plan.durationSeconds() - plan.warmupSeconds(), serverGc == null ? "no GC log given" : serverGc,
                clientGc == null ? "no GC log given" : clientGc);
        s.blank().line("Server log during this phase: %s.", problems == null ? "not given" : problems);
        loop.close();
        return s;
    }

    /** Logs the bots on (blocking), then starts their polls; returns when the server holds one poll per bot. */
    private List<AgentBot> startBots(Plan plan, RoundTripTracker tracker) throws InterruptedException {
        System.out.printf("Logging on %d bots (autoAccept, up to %d chats each)...%n", plan.bots(), plan.chatsPerBot());
        List<AgentBot> bots = new ArrayList<>();
        for (int i = 1; i <= plan.bots(); i++) {
            bots.add(AgentBot.logOn(http, loop, address, requests, Endpoints.BENCH, Endpoints.BOT_USER_PREFIX + i,
                    Endpoints.BOT_PASSWORD, plan.chatsPerBot(), tracker, botPolls, replies, plan.replyConnections()));
        }
        loop.execute(() -> bots.forEach(b -> b.start(Math.min(4, plan.replyConnections()))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && (botPolls.outstanding.get() < bots.size()
                || probe.held()[0] < bots.size())) {
            Thread.sleep(100);
        }
        for (AgentBot b : bots) {
            System.out.printf("    %s: capacity %d%n", b.username(), b.capacity());
        }
        return bots;
    }

    /**
     * One poller per conversation; waits until every consumer has seen its bot join
     * ({@code RNEngagementParticipantAddedMessage}) and holds a poll.
     *
     * @return how many conversations a bot accepted
     */
    private int startConsumerPollers(List<BenchSession> sessions, int bots, RoundTripTracker tracker)
            throws InterruptedException {
        AtomicInteger accepted = new AtomicInteger();
        boolean[] joined = new boolean[sessions.size()];
        List<Poller> pollers = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            int conversation = i;
            pollers.add(new Poller(loop, address, requests, Endpoints.BENCH, sessions.get(i), consumerPolls,
                    (name, m, at) -> {
                        if (Poller.MESSAGE_POSTED.equals(name)) {
                            tracker.atConsumer(conversation, m.path("body").asText(), at);
                        } else if (PARTICIPANT_ADDED.equals(name) && !joined[conversation]) {
                            joined[conversation] = true;
                            accepted.incrementAndGet();
                        }
                    }));
        }
        loop.execute(() -> pollers.forEach(Poller::start));
        long deadline = System.nanoTime() + ACCEPT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && (accepted.get() < sessions.size()
                || consumerPolls.outstanding.get() < sessions.size() || probe.held()[0] < sessions.size() + bots)) {
            Thread.sleep(200);
        }
        return accepted.get();
    }

    /** Message {@code message}'s post by its consumer: round-robin over the conversations. */
    private byte[] consumerPost(List<BenchSession> sessions, int message) {
        BenchSession s = sessions.get(message % sessions.size());
        return requests.postJson(Endpoints.BENCH.consumer("postMessage"),
                "{\"body\":\"" + RoundTripTracker.body(message) + "\"}", "SessionId", s.sessionId());
    }

    /** Samples the server's threads and open files once a second until {@code endNanos} (no safepoints, unlike jcmd). */
    private DuringRun watch(long endNanos) throws InterruptedException {
        int threads = 0;
        int files = 0;
        while (System.nanoTime() < endNanos) {
            Thread.sleep(Math.max(1, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()))));
            threads = Math.max(threads, probe.threads());
            files = Math.max(files, probe.openFiles());
        }
        return new DuringRun(threads, files);
    }

    private Section report(Plan plan, RoundTripTracker t, List<AgentBot> bots, PostSender sender, RequestPool posts,
                           SetUp setUp, double serverCpu, double clientCpu, double othersCpu,
                           double idleCores) {
        double measuredSeconds = plan.durationSeconds() - plan.warmupSeconds();
        Section s = new Section();
        s.line("## Round trip: consumer → agent (bot) → consumer").blank();
        s.line("Parameters: %,d conversations on the `bench` site (`benchmark/round-trip-seed.json`), taken by %d bots "
                + "on the agent API (`createAutomatedAgentSession` with autoAccept, up to %d chats each), each bot "
                + "holding one agent long poll and each consumer one consumer long poll. Consumers post round-robin at "
                + "%,d messages/s in all, open loop, for %d s, the first %d s warm-up (not timed); a bot replies to each "
                + "message as soon as its poll delivers it. Up to %d connections for consumer posts, up to %d per bot "
                + "for replies; server `poll.hold` default (25 s). Round trip = consumer post written → consumer poll "
                + "answer carrying the bot's reply read; every moment is taken on the client's one selector thread.",
                plan.conversations(), plan.bots(), plan.chatsPerBot(), plan.rate(), plan.durationSeconds(),
                plan.warmupSeconds(), plan.postConnections(), plan.replyConnections()).blank();
        MarkdownTable latency = MarkdownTable.latencies();
        latency.latencyRow("**Round trip (consumer post sent → bot's reply in the consumer's poll)**", t.roundTrip);
        latency.latencyRow("Round trip from the scheduled send time (adds the sender lag)", t.roundTripFromSchedule);
        latency.latencyRow("Consumer → bot (consumer post sent → bot's poll answer read)", t.toBot);
        latency.latencyRow("Bot turnaround in the client (poll answer read → reply sent)", t.botTurnaround);
        latency.latencyRow("Bot → consumer (reply sent → consumer's poll answer read)", t.toConsumer);
        latency.latencyRow("Consumer `postMessage` round trip", t.consumerPost);
        latency.latencyRow("Agent `postMessage` round trip", t.botPost);
        latency.latencyRow("Sender lag (scheduled → consumer post sent)", t.sendLag);
        s.table(latency).blank();

        RoundTripTracker.Losses lost = t.losses();
        s.line("Achieved send rate: %,.0f messages/s over the timed %.0f s (target %,d/s); %,d messages sent in all, "
                + "%,d reached a bot, %,d replies sent, %,d replies reached their consumer. **Lost** (consumer post "
                + "answered 200, reply not in the consumer's poll within %d s after the run): **%,d** (never reached a "
                + "bot %,d; reply not sent %,d; reply refused or broken %,d; reply answered 200 but not delivered %,d).",
                t.sentMeasured() / measuredSeconds, measuredSeconds, plan.rate(), t.sent(), t.atBot(), t.repliesSent(),
                t.delivered(), plan.drainSeconds(), lost.total(), lost.neverAtBot(), lost.replyNotSent(),
                lost.replyFailed(), lost.replyNotDelivered()).blank();
        s.line("Consumer posts: %s; agent replies: %s (-1: connection broke before the answer). Duplicates: %,d at the "
                + "bots, %,d at the consumers; replies delivered to the wrong conversation: %,d; unmatched bodies: %,d. "
                + "Connections opened for consumer posts: %,d (at most %d at once, %,d failed to connect); for replies: "
                + "%,d (at most %d at once).",
                sender.statuses(), replies, t.botDuplicates(), t.duplicates(), t.misdelivered(), t.strangers(),
                posts.connectionsOpened(), posts.mostOpen(), posts.connectFailures(),
                bots.stream().mapToInt(b -> b.replies().connectionsOpened()).sum(),
                bots.stream().mapToInt(b -> b.replies().mostOpen()).sum()).blank();
        errors(s, "First consumer post errors", sender.statuses().samples());
        errors(s, "First reply errors", replies.samples());

        MarkdownTable botTable = new MarkdownTable("Bot", "Capacity granted", "Chats taken", "Agent messages read",
                "Poll answers with messages", "Messages per answer", "Message types");
        for (AgentBot b : bots) {
            botTable.row(b.username(), b.capacity(), MarkdownTable.count(b.chatsTaken()),
                    MarkdownTable.count(b.messagesRead()), MarkdownTable.count(b.answersWithMessages()),
                    String.format("%.1f", b.messagesRead() / (double) Math.max(1, b.answersWithMessages())),
                    b.typesSeen().toString().replace("Notification", "").replace("Chat", ""));
        }
        s.line("The bots (message types without their `Chat…Notification` affixes):").blank();
        s.table(botTable).blank();
        int notAuto = bots.stream().mapToInt(AgentBot::offersNotAutoAccepted).sum();
        if (notAuto > 0) {
            s.line("Offers that were not accepted automatically: %,d.", notAuto).blank();
        }
        s.line("Set-up: %d bots logged on and polling in %.1f s; %,d conversations made in %.0f s (%d at a time); %,d of "
                + "them accepted by a bot %.1f s after their consumer polls started. Session set-up: %s.",
                bots.size(), setUp.botsSeconds(), plan.conversations(), setUp.conversationsSeconds(),
                setup.concurrency(), setUp.accepted(), setUp.acceptSeconds(),
                HeldPollsBenchmark.setupFailures(setup)).blank();
        s.line("CPU during the run: server %.2f cores, load client %.2f cores, other processes on the machine %.2f "
                + "cores (of %d); the server used %.2f cores in the %d s before the run, with every poll held and no "
                + "message sent. Consumer poll answers: %s, polls that failed: %,d; bot poll answers: %s, polls that "
                + "failed: %,d.",
                serverCpu / plan.durationSeconds(), clientCpu / plan.durationSeconds(),
                Math.max(0, othersCpu) / plan.durationSeconds(), Runtime.getRuntime().availableProcessors(),
                idleCores, IDLE_WINDOW.toSeconds(),
                consumerPolls.statuses(), consumerPolls.failures(),
                botPolls.statuses(), botPolls.failures());
        errors(s.blank(), "First consumer poll errors", consumerPolls.errorSamples());
        errors(s, "First bot poll errors", botPolls.errorSamples());
        return s;
    }

    private static void errors(Section s, String what, List<String> samples) {
        if (!samples.isEmpty()) {
            s.line("%s: %s", what, samples).blank();
        }
    }

    /** The server before and after the timed run (heap after a full GC), and what /proc showed during it. */
    private static void server(Section s, Plan plan, ServerProbe.Snapshot before, ServerProbe.Snapshot after,
                               DuringRun during) {
        s.line("The server (heap after a forced full GC; the GCs were forced outside the timed run):").blank();
        MarkdownTable t = new MarkdownTable("When", "Held requests", "Heap used after full GC", "Heap committed",
                "Live threads", "Tomcat request threads (busy)", "Open files", "RSS");
        t.row(row(String.format("Before the run (%,d conversations, %d bots, all polling)", plan.conversations(),
                plan.bots()), before));
        t.row(row("After the run and the drain", after));
        s.table(t).blank();
        s.line("During the timed run (sampled from `/proc` once a second): at most %d live threads and %,d open files.",
                during.maxThreads(), during.maxOpenFiles());
    }

    private static Object[] row(String when, ServerProbe.Snapshot v) {
        return new Object[] {when, MarkdownTable.count(v.held()), MarkdownTable.mib(v.heapUsedBytes()),
                MarkdownTable.mib(v.heapCommittedBytes()), v.threads(), v.workers() + " (" + v.busyWorkers() + ")",
                MarkdownTable.count(v.openFiles()), MarkdownTable.mib(v.rssBytes())};
    }



    private static Path optionalPath(String p) {
        return p.isEmpty() ? null : Path.of(p);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double clientUptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }

    private static double clientCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }
}
