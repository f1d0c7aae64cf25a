package io.parley.engagement;

import io.parley.store.AgentInboxStore;
import io.parley.store.AgentStore;
import io.parley.store.Database;
import io.parley.store.EngagementStore;
import io.parley.store.EventStore;
import io.parley.store.SiteDirectory;
import io.parley.store.TenantStore;
import io.parley.store.WaitingLineStore;
import java.time.Clock;
import java.time.Duration;

/**
 * The engagement side, wired once: who depends on whom is written here and nowhere else. The API
 * resources, the continuations and the timers take the parts they use.
 */
public record EngagementModule(Journal journal, Engagements engagements, Admissions admissions, WaitInformation waits,
                               Conversation conversation, Assignments assignments, Dispatcher dispatcher,
                               AgentPresence agents, EngagementProperties properties, QueueStatistics statistics) {

    /**
     * What the engagement side is given from outside; {@code openSessions} too, as a cluster's
     * listener tells it of the sessions that ended on other nodes.
     */
    public record Parts(Database db, Queues queues, ChatSessions chatSessions, SiteDirectory sites, TenantStore tenants,
                        EngagementSignals signals, OpenSessions openSessions, Clock clock) {
    }

    /** The limits of the engagement side. */
    public record Limits(int maxMessageChars, Duration concludedGrace, AgentSettings agents) {
    }

    public static EngagementModule wire(Parts parts, Limits limits) {
        EngagementStore store = new EngagementStore(parts.db());
        EventStore events = new EventStore(parts.db());
        WaitingLineStore line = new WaitingLineStore(parts.db());
        AgentStore agentStore = new AgentStore(parts.db());
        Clock clock = parts.clock();
        OpenSessions openSessions = parts.openSessions();
        Journal journal = new Journal(parts.db(), store, events, agentStore, new AgentInboxStore(parts.db()), openSessions,
                parts.signals());
        Engagements engagements = new Engagements(store, parts.sites(), clock, limits.concludedGrace(), openSessions);
        WaitInformation waits = new WaitInformation(line, parts.queues(), journal, clock);
        Admissions admissions = new Admissions(store, line, parts.queues(), parts.chatSessions(), waits, journal, clock);
        Conversation conversation = new Conversation(store, events, line, agentStore, engagements, parts.queues(), parts.tenants(),
                journal, clock, limits.maxMessageChars(), limits.concludedGrace());
        Offers offers = new Offers(agentStore, store, journal);
        Assignments assignments = new Assignments(store, line, agentStore, engagements, conversation, parts.queues(),
                parts.tenants(), parts.chatSessions(), offers, journal, clock, limits.agents());
        Dispatcher dispatcher = new Dispatcher(store, line, agentStore, parts.queues(), parts.chatSessions(), offers,
                assignments, journal, clock, limits.agents());
        AgentPresence agents = new AgentPresence(agentStore, store, assignments, offers, parts.queues(), parts.tenants(),
                parts.sites(), journal, openSessions, clock, limits.agents());
        EngagementProperties properties = new EngagementProperties(store, assignments, parts.db(), clock);
        QueueStatistics statistics = new QueueStatistics(waits, agentStore, clock);
        return new EngagementModule(journal, engagements, admissions, waits, conversation, assignments, dispatcher,
                agents, properties, statistics);
    }
}
