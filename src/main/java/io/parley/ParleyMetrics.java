package io.parley;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.continuation.HeldSlots;
import io.parley.engagement.Queue;
import io.parley.engagement.Queues;
import io.parley.store.Database;
import io.parley.store.ReportStore;
import io.parley.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's metrics, scraped at {@code /metrics}: the JVM's, the database pool's, the held
 * requests against their cap, and the engagements waiting per queue (read at each scrape).
 */
final class ParleyMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge waiting;
    private final Queues queues;
    private final ReportStore reports;

    ParleyMetrics(PrometheusMeterRegistry registry, Database db, HeldSlots slots, Queues queues, ReportStore reports) {
        this.registry = registry;
        this.queues = queues;
        this.reports = reports;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("parley.held.requests", slots, HeldSlots::held)
                .description("Polls and admissions held now").register(registry);
        Gauge.builder("parley.held.requests.max", slots, HeldSlots::max)
                .description("The node's cap on held requests (poll.maxHeld)").register(registry);
        for (String state : List.of("active", "idle", "total", "waiting")) {
            Gauge.builder("parley.db.connections", db, d -> d.poolStats().map(p -> switch (state) {
                        case "active" -> p.active();
                        case "idle" -> p.idle();
                        case "total" -> p.total();
                        default -> p.waiting();
                    }).orElse(0))
                    .tag("state", state).description("Parley's own connection pool (waiting: threads waiting for one)")
                    .register(registry);
        }
        FunctionCounter.builder("parley.db.commits", db, d -> d.groupCommitStats().map(Database.CommitStats::commits).orElse(0L))
                .description("Commits of group commit (db.groupCommit): fewer than the transactions they held when shared")
                .register(registry);
        FunctionCounter.builder("parley.db.group.transactions", db,
                        d -> d.groupCommitStats().map(Database.CommitStats::transactions).orElse(0L))
                .description("Transactions that went through group commit (db.groupCommit)").register(registry);
        this.waiting = MultiGauge.builder("parley.engagements.waiting")
                .description("Engagements waiting in each queue").register(registry);
    }

    /** The metrics in Prometheus' text format. */
    String scrape() {
        Map<Long, ReportStore.Waiting> now;
        try {
            now = reports.waiting();
        } catch (StoreException e) {
            // The database is away: the rest of the metrics still tell how the node is.
            return registry.scrape();
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Queue q : queues.all()) {
            ReportStore.Waiting w = now.get(q.id());
            rows.add(MultiGauge.Row.of(Tags.of("queue", Long.toString(q.id()), "site", Long.toString(q.siteId())),
                    w == null ? 0 : w.count()));
        }
        waiting.register(rows, true);
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
