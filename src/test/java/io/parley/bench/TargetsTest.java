package io.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.bench.Targets.Row;
import io.parley.bench.Targets.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {

    @TempDir
    Path dir;

    private static final String HELD = """
            {"targets": [2500, 19000, 19600], "plateaus": [
              {"target": 2500, "clientHeld": 2500, "serverHeld": 2500, "heapPerPollBytes": 90000, "reached": true},
              {"target": 19000, "clientHeld": 19000, "serverHeld": 18996, "heapPerPollBytes": 94000, "reached": true},
              {"target": 19600, "clientHeld": 19500, "serverHeld": 19361, "heapPerPollBytes": 103000, "reached": false}]}
            """;

    private static String nodes(int sessions, int rate, int seconds, long p50, long p99, int lost, int duplicates) {
        return """
                {"sessions": %d, "fixedRate": %d, "fixedSeconds": %d, "timedMessages": %d, "writtenInTime": %d,
                 "p50Micros": %d, "p99Micros": %d, "lost": %d, "duplicates": %d, "cpuPerMessage": "640 µs (node 640)"}
                """.formatted(sessions, rate, seconds, rate * seconds, rate * seconds, p50, p99, lost, duplicates);
    }

    private static String rate(String server, String target, double rate, int errors) {
        return """
                {"server": "%s", "target": "%s", "rate": %.1f, "errors": %d}""".formatted(server, target, rate, errors);
    }

    private void write(String file, String json) throws IOException {
        Files.writeString(dir.resolve(file), json);
    }

    private List<Row> rows() throws IOException {
        return Targets.rows(dir);
    }

    private static List<Verdict> verdicts(List<Row> rows) {
        return rows.stream().map(Row::verdict).toList();
    }

    @Test
    void aTargetIsMetOrNotByTheFiguresThePhasesWrote() throws IOException {
        write("held.json", HELD);
        write("nodes-h2.json", nodes(1000, 2000, 60, 1200, 14000, 0, 0));
        write("nodes-pg1.json", nodes(1000, 2000, 60, 1800, 25000, 0, 0));
        write("nodes-pg2.json", nodes(1000, 2000, 60, 2500, 9000, 0, 3));
        write("rates-bare-tomcat.json", "[" + rate("bare-tomcat", "bare", 30000, 0) + "]");
        write("rates-parley.json", "[" + rate("parley", "live", 10000, 0) + "," + rate("parley", "queue-stats", 6900, 0)
                + "," + rate("parley", "post-chats", 4000, 0) + "]");

        List<Row> rows = rows();

        assertEquals(List.of(Verdict.MET, Verdict.MET, Verdict.NOT_MET, Verdict.NOT_MET, Verdict.MET, Verdict.NOT_MET,
                Verdict.NOT_MET), verdicts(rows));
        assertTrue(rows.get(0).measured().startsWith("19,000 held"), rows.get(0).measured());
        assertTrue(rows.get(0).measured().contains("91.8 KiB"), rows.get(0).measured());
        assertEquals("p99 25.0 ms", rows.get(2).why());
        assertEquals("3 duplicated", rows.get(3).why());
        assertTrue(rows.get(1).measured().contains("640 µs"), rows.get(1).measured());
        assertTrue(rows.get(4).measured().startsWith("40 %"), rows.get(4).measured());
        assertEquals("33 %", rows.get(6).why());
    }

    @Test
    void aPhaseThatDidNotRunIsSaidSo() throws IOException {
        write("nodes-h2.json", nodes(1000, 2000, 60, 1200, 14000, 0, 0));

        assertEquals(List.of(Verdict.NOT_RUN, Verdict.MET, Verdict.NOT_RUN, Verdict.NOT_RUN, Verdict.NOT_RUN,
                Verdict.NOT_RUN, Verdict.NOT_RUN), verdicts(rows()));
        assertTrue(Targets.markdown(dir).contains("| not run |"));
    }

    @Test
    void aRunAtAnotherLoadIsNotJudged() throws IOException {
        write("held.json", """
                {"targets": [200, 500], "plateaus": [
                  {"target": 200, "clientHeld": 200, "serverHeld": 200, "heapPerPollBytes": 80000, "reached": true},
                  {"target": 500, "clientHeld": 500, "serverHeld": 500, "heapPerPollBytes": 80000, "reached": true}]}
                """);
        write("nodes-h2.json", nodes(100, 100, 5, 1200, 14000, 0, 0));
        write("rates-bare-tomcat.json", "[" + rate("bare-tomcat", "bare", 30000, 0) + "]");
        write("rates-parley.json", "[" + rate("parley", "live", 20000, 12) + "]");

        List<Row> rows = rows();

        assertEquals(Verdict.NOT_JUDGED, rows.get(0).verdict());
        assertEquals(Verdict.NOT_JUDGED, rows.get(1).verdict());
        assertEquals("this run posted 100 msg/s to 100 sessions for 5 s", rows.get(1).why());
        assertEquals(Verdict.NOT_JUDGED, rows.get(6).verdict());
        assertEquals("wrk counted 12 errors", rows.get(6).why());
    }

    @Test
    void aDeliveryWhoseSenderFellBehindTheRateIsNotMet() throws IOException {
        write("nodes-pg1.json", """
                {"sessions": 1000, "fixedRate": 2000, "fixedSeconds": 60, "timedMessages": 120000, "writtenInTime": 90000,
                 "p50Micros": 1000, "p99Micros": 5000, "lost": 0, "duplicates": 0}
                """);

        Row pg1 = rows().get(2);

        assertEquals(Verdict.NOT_MET, pg1.verdict());
        assertEquals("the sender fell behind the rate", pg1.why());
    }
}
