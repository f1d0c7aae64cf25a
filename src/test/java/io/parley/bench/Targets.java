package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The project's performance targets, each judged from the summaries the phases wrote, for the head
 * of the results: one row per target with what this run measured and whether the target is met.
 *
 * <p>It reads, from the directory the phases wrote to: {@code held.json} (phase 1,
 * {@link HeldPollsBenchmark}); {@code nodes-h2.json}, {@code nodes-pg1.json} and {@code nodes-pg2.json}
 * (phase 4, {@link NodesBenchmark}); {@code rates-bare-tomcat.json} and {@code rates-parley.json}
 * (phase 5, {@link RequestRateBenchmark}). A file that is missing means its phase (or configuration)
 * did not run. A target measured at another load than its own (a {@code --quick} run) is not judged.
 */
final class Targets {

    static final int HELD_POLLS = 19_000;
    static final double HELD_KIB_EACH = 100;
    static final int DELIVERY_SESSIONS = 1_000;
    static final int DELIVERY_RATE = 2_000;
    static final int DELIVERY_SECONDS = 60;
    static final long DELIVERY_P50_MICROS = 3_000;
    static final long DELIVERY_P99_MICROS = 20_000;
    /** As a step's "sustained": the sender must have kept the target's rate. */
    static final double WRITTEN_IN_TIME = 0.99;
    static final int POST_CHATS = 200;
    static final double POST_OF_LIVE = 0.40;
    static final double QUEUE_STATS_OF_LIVE = 0.70;
    static final double LIVE_OF_TOMCAT = 0.50;

    enum Verdict {
        MET("met"), NOT_MET("**not met**"), NOT_JUDGED("not judged"), NOT_RUN("not run");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /** One target: what it asks, what this run measured, and whether it is met (and why not). */
    record Row(String target, String measured, Verdict verdict, String why) {

        String verdictCell() {
            return why.isEmpty() ? verdict.text : verdict.text + ": " + why;
        }
    }

    private Targets() {
    }

    /** The section: a heading, a line on how to read it, and the table. */
    static String markdown(Path dir) throws IOException {
        MarkdownTable t = new MarkdownTable("Target", "Measured in this run", "Met?");
        for (Row r : rows(dir)) {
            t.row(r.target(), r.measured(), r.verdictCell());
        }
        return "## Targets\n\nEach of the project's performance targets, what this run measured for it and whether it "
                + "is met; *not judged* where this run did not measure at the target's load (`--quick`, or other "
                + "options), *not run* where its phase did not run. `benchmark/README.md` says how each is read.\n\n" + t;
    }

    static List<Row> rows(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        rows.add(held(dir.resolve("held.json")));
        rows.add(delivery(dir.resolve("nodes-h2.json"), "one node on H2"));
        rows.add(delivery(dir.resolve("nodes-pg1.json"), "one node on PostgreSQL"));
        rows.add(delivery(dir.resolve("nodes-pg2.json"), "two nodes on one PostgreSQL"));
        List<JsonNode> rates = new ArrayList<>();
        for (String f : List.of("rates-bare-tomcat.json", "rates-parley.json")) {
            Optional<JsonNode> json = read(dir.resolve(f));
            json.ifPresent(a -> a.forEach(rates::add));
        }
        rows.add(ratio(rates, String.format("`postMessage` over %,d chats, durable: ≥ %.0f %% of Parley's `/health/live` "
                + "(phase 5)", POST_CHATS, 100 * POST_OF_LIVE), "parley", "post-chats", "parley", "live", POST_OF_LIVE));
        rows.add(ratio(rates, String.format("`getQueueStats`: ≥ %.0f %% of Parley's `/health/live` (phase 5)",
                100 * QUEUE_STATS_OF_LIVE), "parley", "queue-stats", "parley", "live", QUEUE_STATS_OF_LIVE));
        rows.add(ratio(rates, String.format("`/health/live`: ≥ %.0f %% of bare Tomcat's async servlet (phase 5)",
                100 * LIVE_OF_TOMCAT), "parley", "live", "bare-tomcat", "bare", LIVE_OF_TOMCAT));
        return rows;
    }

    /** Phase 1, judged at the highest target held without a refused or failed poll. */
    static Row held(Path file) throws IOException {
        String target = String.format("Held polls, one node, default heap: ≥ %,d held, ≤ %.0f KiB of heap each (phase 1)",
                HELD_POLLS, HELD_KIB_EACH);
        Optional<JsonNode> json = read(file);
        if (json.isEmpty()) {
            return new Row(target, "", Verdict.NOT_RUN, "");
        }
        JsonNode best = null;
        long mostHeld = 0;
        for (JsonNode p : json.get().path("plateaus")) {
            mostHeld = Math.max(mostHeld, p.path("serverHeld").asLong());
            if (p.path("reached").asBoolean() && (best == null || p.path("target").asInt() > best.path("target").asInt())) {
                best = p;
            }
        }
        int highestAsked = 0;
        for (JsonNode t : json.get().path("targets")) {
            highestAsked = Math.max(highestAsked, t.asInt());
        }
        if (best == null) {
            return new Row(target, String.format("no target held in full (most at once %,d)", mostHeld),
                    highestAsked < HELD_POLLS ? Verdict.NOT_JUDGED : Verdict.NOT_MET,
                    highestAsked < HELD_POLLS ? askedOnly(highestAsked) : "");
        }
        int held = best.path("target").asInt();
        double kib = best.path("heapPerPollBytes").asDouble() / 1024;
        String measured = String.format("%,d held (the highest target held in full; most at once %,d), %.1f KiB each",
                held, mostHeld, kib);
        if (highestAsked < HELD_POLLS) {
            return new Row(target, measured, Verdict.NOT_JUDGED, askedOnly(highestAsked));
        }
        List<String> missed = new ArrayList<>();
        if (held < HELD_POLLS) {
            missed.add(String.format("%,d held", held));
        }
        if (kib > HELD_KIB_EACH) {
            missed.add(String.format("%.1f KiB each", kib));
        }
        return judged(target, measured, missed);
    }

    private static String askedOnly(int highest) {
        return String.format("this run asked for %,d at most", highest);
    }

    /** Phase 4's fixed rate in one configuration. */
    static Row delivery(Path file, String configuration) throws IOException {
        String target = String.format("Delivery, durable, %s: %,d sessions, %,d msg/s for %d s: p50 < %s, p99 < %s, "
                        + "none lost or duplicated (phase 4)", configuration, DELIVERY_SESSIONS, DELIVERY_RATE,
                DELIVERY_SECONDS, MarkdownTable.ms(DELIVERY_P50_MICROS), MarkdownTable.ms(DELIVERY_P99_MICROS));
        Optional<JsonNode> json = read(file);
        if (json.isEmpty()) {
            return new Row(target, "", Verdict.NOT_RUN, "");
        }
        JsonNode j = json.get();
        long p50 = j.path("p50Micros").asLong();
        long p99 = j.path("p99Micros").asLong();
        long lost = j.path("lost").asLong();
        long duplicates = j.path("duplicates").asLong();
        int written = j.path("writtenInTime").asInt();
        int timed = j.path("timedMessages").asInt();
        String measured = String.format("p50 %s, p99 %s; lost %,d, duplicated %,d; %,d of %,d timed posts written in "
                        + "time; server CPU per delivered message %s", MarkdownTable.ms(p50), MarkdownTable.ms(p99), lost,
                duplicates, written, timed, j.path("cpuPerMessage").asText("–"));
        int sessions = j.path("sessions").asInt();
        int rate = j.path("fixedRate").asInt();
        int seconds = j.path("fixedSeconds").asInt();
        if (sessions != DELIVERY_SESSIONS || rate != DELIVERY_RATE || seconds < DELIVERY_SECONDS) {
            return new Row(target, measured, Verdict.NOT_JUDGED, String.format(
                    "this run posted %,d msg/s to %,d sessions for %d s", rate, sessions, seconds));
        }
        List<String> missed = new ArrayList<>();
        if (written < WRITTEN_IN_TIME * timed) {
            missed.add("the sender fell behind the rate");
        }
        if (p50 >= DELIVERY_P50_MICROS) {
            missed.add("p50 " + MarkdownTable.ms(p50));
        }
        if (p99 >= DELIVERY_P99_MICROS) {
            missed.add("p99 " + MarkdownTable.ms(p99));
        }
        if (lost > 0) {
            missed.add(String.format("%,d lost", lost));
        }
        if (duplicates > 0) {
            missed.add(String.format("%,d duplicated", duplicates));
        }
        return judged(target, measured, missed);
    }

    /** Phase 5: one request rate as a share of another measured in the same run. */
    private static Row ratio(List<JsonNode> rates, String target, String server, String kind, String floorServer,
                             String floorKind, double atLeast) {
        Optional<JsonNode> row = RequestRateReport.row(rates, server, kind);
        Optional<JsonNode> floor = RequestRateReport.row(rates, floorServer, floorKind);
        if (row.isEmpty() || floor.isEmpty()) {
            return new Row(target, "", Verdict.NOT_RUN, "");
        }
        double rate = row.get().path("rate").asDouble();
        double of = floor.get().path("rate").asDouble();
        double share = of > 0 ? rate / of : 0;
        String measured = String.format("%.0f %% (%,.0f/s against %,.0f/s)", 100 * share, rate, of);
        long errors = row.get().path("errors").asLong() + floor.get().path("errors").asLong();
        if (errors > 0) {
            return new Row(target, measured, Verdict.NOT_JUDGED, String.format("wrk counted %,d errors", errors));
        }
        if (row.get().has("chats") && row.get().path("chats").asInt() != POST_CHATS) {
            return new Row(target, measured, Verdict.NOT_JUDGED,
                    String.format("this run posted over %,d chats", row.get().path("chats").asInt()));
        }
        return judged(target, measured, share >= atLeast ? List.of() : List.of(String.format("%.0f %%", 100 * share)));
    }

    private static Row judged(String target, String measured, List<String> missed) {
        return missed.isEmpty() ? new Row(target, measured, Verdict.MET, "")
                : new Row(target, measured, Verdict.NOT_MET, String.join("; ", missed));
    }

    private static Optional<JsonNode> read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Optional.of(JsonHttp.JSON.readTree(file.toFile())) : Optional.empty();
    }
}
