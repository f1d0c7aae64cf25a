package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes phase 5's section of the results: every request rate {@link RequestRateBenchmark} measured
 * in this run, each as a share of the floors measured in the same run (bare Tomcat, bare Jersey)
 * and of Parley's own {@code /health/live}.
 *
 * <pre>RequestRateReport --results target/bench/rates-bare-tomcat.json,... [--out target/bench/rates.md]</pre>
 *
 * A results file that is missing (its server did not run) is reported as not run.
 */
public final class RequestRateReport {

    private RequestRateReport() {
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        List<JsonNode> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String f : args.required("results").split(",")) {
            Path p = Path.of(f);
            if (Files.isRegularFile(p)) {
                JsonHttp.JSON.readTree(p.toFile()).forEach(rows::add);
            } else {
                missing.add(p.getFileName().toString());
            }
        }
        double tomcat = rate(rows, "bare-tomcat", "bare");
        double jersey = rate(rows, "bare-jersey", "bare");
        double live = rate(rows, "parley", "live");

        Section s = new Section();
        s.line("## Request rates: Parley against bare Tomcat and bare Jersey").blank();
        s.line("How many requests a second one server answers with every connection busy, measured with `wrk` "
                + "against three servers started one after the other on this machine, each in a JVM of its own with "
                + "the default heap: **bare Tomcat** (the launcher's embedded Tomcat and connector settings, one async "
                + "servlet that completes at once with `{\"status\":\"UP\"}`), **bare Jersey** (the same Tomcat with a "
                + "Jersey 3.1 application of one resource answering the same body through Jackson; no filters), and "
                + "**Parley** (the launcher in demo mode with the benchmark WAR, as phase 2 starts it, and the address "
                + "request budget raised: `-Dparley.throttle.requests.perAddressPerMinute=10000000`).").blank();
        if (!rows.isEmpty()) {
            s.line("Parameters: %s, one request kind after the other; wrk and the server share the machine's %d cores. "
                    + "`postMessage` runs over consumer sessions made as a widget makes them and accepted by the "
                    + "stand-in agent, the `SessionId` header round-robin over them (`benchmark/post-message.lua`); "
                    + "`getQueueStats` asks for the demo site's queue 1.", rows.get(0).path("parameters").asText(),
                    Runtime.getRuntime().availableProcessors()).blank();
        }
        MarkdownTable t = new MarkdownTable("Server", "Request", "**Requests/s**", "p50", "p99", "% of bare Tomcat",
                "% of bare Jersey", "% of Parley `/health/live`", "Server CPU (cores)", "Server CPU per request",
                "wrk CPU (cores)", "Others' CPU (cores)", "Errors");
        for (JsonNode r : rows) {
            double rate = r.path("rate").asDouble();
            double cores = r.path("serverCores").asDouble();
            t.row(r.path("serverLabel").asText(), r.path("label").asText(), String.format("**%,.0f**", rate),
                    micros(r.path("p50Micros").asLong()), micros(r.path("p99Micros").asLong()), percent(rate, tomcat),
                    percent(rate, jersey), percent(rate, live), String.format("%.2f", cores),
                    rate > 0 ? String.format("%,.0f µs", cores / rate * 1e6) : "–",
                    String.format("%.2f", r.path("wrkCores").asDouble()),
                    String.format("%.2f", r.path("otherCores").asDouble()), errors(r));
        }
        for (String m : missing) {
            t.row(m, "not run (see the log)", "", "", "", "", "", "", "", "", "", "", "");
        }
        s.table(t).blank();
        s.line("Read the ratios rather than the absolute rates: the floors ran on the same machine, with the same "
                + "JVM, connector and wrk, minutes before Parley, so a slower or faster machine moves them together. "
                + "**% of bare Tomcat** is what the whole stack leaves of the container's own rate; **% of bare "
                + "Jersey** what Parley's filters and resources leave of Jersey's; **% of Parley `/health/live`** what "
                + "the work of a call costs beyond Parley's fixed cost per request. Other work on the machine is not "
                + "shared out so evenly: it changes from row to row (*Others' CPU*), and a row that lost a large share "
                + "of a core to it does not compare with one that did not. *Server CPU per request* is the server's "
                + "CPU time in the timed run divided by the requests answered; it depends less on how the cores were "
                + "shared. Errors are non-2xx answers and socket errors as wrk counts them; a row with errors measures "
                + "those answers, not the call.");
        s.writeTo(Path.of(args.string("out", "target/bench/rates.md")));
    }

    private static double rate(List<JsonNode> rows, String server, String target) {
        return row(rows, server, target).map(r -> r.path("rate").asDouble()).orElse(Double.NaN);
    }

    /** The results of one kind of call ({@code target}) on one server, if it ran. */
    static Optional<JsonNode> row(List<JsonNode> rows, String server, String target) {
        return rows.stream().filter(r -> server.equals(r.path("server").asText()) && target.equals(r.path("target").asText()))
                .findFirst();
    }

    private static String percent(double rate, double floor) {
        return Double.isNaN(floor) || floor <= 0 ? "–" : String.format("%.0f%%", 100 * rate / floor);
    }

    private static String errors(JsonNode r) {
        long errors = r.path("errors").asLong();
        if (errors == 0) {
            return "0";
        }
        return String.format("%,d (non-2xx %,d; %s)", errors, r.path("non2xx").asLong(), r.path("socketErrors").asText());
    }

    /** wrk's latency in microseconds, as milliseconds. */
    static String micros(long micros) {
        return micros >= 10_000 ? String.format("%.0f ms", micros / 1000.0) : String.format("%.2f ms", micros / 1000.0);
    }
}
