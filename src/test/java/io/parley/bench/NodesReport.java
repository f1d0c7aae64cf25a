package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes phase 4's section of the results: the table that compares the configurations (from the
 * summaries {@link NodesBenchmark} wrote), then each configuration's own part.
 *
 * <pre>
 * NodesReport --configurations target/bench/nodes-h2,target/bench/nodes-pg1,target/bench/nodes-pg2
 *   [--out target/bench/nodes.md]
 * </pre>
 *
 * Each configuration {@code X} has {@code X.json} (the summary) and {@code X.md} (its part); one
 * whose files are missing is reported as not run.
 */
public final class NodesReport {

    private NodesReport() {
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv);
        String[] configurations = args.required("configurations").split(",");
        Section s = new Section();
        s.line("## PostgreSQL and two nodes: throughput and delivery latency").blank();
        String parameters = null;
        MarkdownTable t = new MarkdownTable("Configuration", "Fixed rate", "Delivery p50", "p90", "p99", "max",
                "p99 from schedule", "Lost", "CPU at the fixed rate: nodes; PostgreSQL; client; others (cores)",
                "Server CPU per delivered message (nodes + PostgreSQL)", "Server GC pauses at the fixed rate", "**Highest rate sustained**", "First step not sustained");
        StringBuilder parts = new StringBuilder();
        for (String c : configurations) {
            Path json = Path.of(c + ".json");
            Path md = Path.of(c + ".md");
            if (!Files.isRegularFile(json) || !Files.isRegularFile(md)) {
                t.row(Path.of(c).getFileName(), "not run (see the log)", "", "", "", "", "", "", "", "", "", "", "");
                continue;
            }
            JsonNode j = JsonHttp.JSON.readTree(json.toFile());
            if (parameters == null) {
                parameters = j.path("parameters").asText();
                s.line(parameters).blank();
            }
            t.row("**" + j.path("label").asText() + "**", MarkdownTable.count(j.path("fixedRate").asLong()) + "/s",
                    "**" + j.path("p50").asText() + "**", j.path("p90").asText(), "**" + j.path("p99").asText() + "**",
                    j.path("max").asText(), j.path("p99FromSchedule").asText(), j.path("lost").asText(),
                    j.path("cpuNodes").asText() + "; " + j.path("cpuPostgres").asText() + "; "
                            + j.path("cpuClient").asText() + "; " + j.path("cpuOthers").asText(),
                    j.path("cpuPerMessage").asText(),
                    j.path("gc").asText(), "**" + j.path("maxSustained").asText() + "**",
                    j.path("firstFailed").asText().isEmpty() ? "none" : j.path("firstFailed").asText());
            parts.append('\n').append(Files.readString(md));
        }
        s.table(t);
        s.line(parts.toString());
        s.writeTo(Path.of(args.string("out", "target/bench/nodes.md")));
    }
}
