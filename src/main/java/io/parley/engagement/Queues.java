package io.parley.engagement;

import io.parley.store.QueueStore;
import io.parley.store.Refreshing;
import io.parley.store.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queues and routing rules of every site, read from the database and kept for a few
 * seconds (they change rarely; routing runs on every new engagement). A schedule that does not
 * parse closes nothing: the queue is treated as always open and the problem is logged.
 */
public final class Queues {

    private static final System.Logger LOG = System.getLogger(Queues.class.getName());

    private final QueueStore store;
    private final Refreshing<Snapshot> snapshot;

    private record Snapshot(Map<Long, Queue> byId, Map<Long, List<RoutingRule>> rulesBySite) {
    }

    public Queues(QueueStore store, Clock clock, Duration refresh) {
        this.store = store;
        this.snapshot = new Refreshing<>(this::load, clock, refresh);
    }

    public Optional<Queue> byId(long id) {
        return Optional.ofNullable(snapshot.get().byId().get(id));
    }

    /** The queues of a site, by id. */
    public Map<Long, Queue> ofSite(long siteId) {
        Map<Long, Queue> out = new LinkedHashMap<>();
        snapshot.get().byId().values().stream().filter(q -> q.siteId() == siteId).forEach(q -> out.put(q.id(), q));
        return out;
    }

    public List<RoutingRule> rulesOf(long siteId) {
        return snapshot.get().rulesBySite().getOrDefault(siteId, List.of());
    }

    /** Every queue, by id. */
    public List<Queue> all() {
        return snapshot.get().byId().values().stream().sorted(java.util.Comparator.comparingLong(Queue::id)).toList();
    }

    public void invalidate() {
        snapshot.invalidate();
    }

    private Snapshot load() {
        Map<Long, Queue> queues = new LinkedHashMap<>();
        for (TenantStore.QueueRow r : store.queues()) {
            queues.put(r.id(), new Queue(r.id(), r.siteId(), r.name(), r.maxWaiting(), r.timeoutSeconds(),
                    r.escalationQueueId(), hours(r), r.defaultWaitSeconds()));
        }
        Map<Long, List<RoutingRule>> rules = new HashMap<>();
        for (QueueStore.RuleWithId r : store.rules()) {
            TenantStore.RuleRow row = r.rule();
            RoutingRule.Action action;
            try {
                action = RoutingRule.Action.valueOf(row.action());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "Routing rule {0} has an unknown action {1}; it is ignored",
                        r.id(), row.action());
                continue;
            }
            rules.computeIfAbsent(row.siteId(), k -> new ArrayList<>()).add(new RoutingRule(r.id(), row.priority(),
                    row.name(), row.matchQueueId(), row.matchProductId(), row.matchCategoryId(), row.matchInterfaceId(),
                    row.matchFieldName(), row.matchFieldValue(), action, row.targetQueueId()));
        }
        rules.replaceAll((k, v) -> List.copyOf(v));
        return new Snapshot(Map.copyOf(queues), Map.copyOf(rules));
    }

    private static BusinessHours hours(TenantStore.QueueRow r) {
        try {
            return BusinessHours.parse(r.hoursZone(), r.hours());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Queue {0} has unreadable business hours ''{1}'': {2}; it stays open",
                    r.id(), r.hours(), e.getMessage());
            return BusinessHours.always();
        }
    }
}
