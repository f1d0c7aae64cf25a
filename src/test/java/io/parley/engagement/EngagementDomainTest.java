package io.parley.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.engagement.Admission;
import io.parley.engagement.PostCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EngagementDomainTest {

    private final List<Long> woken = new ArrayList<>();
    private final List<Long> queueSignals = new ArrayList<>();
    private final EngagementSignals recording = new EngagementSignals() {
        @Override
        public synchronized void engagementChanged(long engagementId) {
            woken.add(engagementId);
        }

        @Override
        public synchronized void queueChanged(long queueId) {
            queueSignals.add(queueId);
        }

        @Override
        public void agentChanged(String agentSessionId) {
        }

        @Override
        public void routingNeeded() {
        }
    };

    private static PostCommand text(String body, String messageId) {
        return new PostCommand(body, false, false, messageId, Map.of(), Visibility.ALL);
    }

    private static List<Event> all(Fixture f, long engagementId) {
        return f.journal.forEndUser(engagementId, -1, 0).events();
    }

    @Test
    void requestEngagementQueuesTheConsumerAndSendsWaitInformation() {
        Fixture f = new Fixture(recording);
        Admission.Admitted first = f.admit();
        Admission.Admitted second = f.admit();

        assertEquals(EngagementState.QUEUED, first.engagement().state());
        assertEquals(1, first.engagement().queueId());
        assertFalse(first.replay());
        EventPayload.WaitInfo w1 = (EventPayload.WaitInfo) all(f, first.engagement().id()).get(0).payload();
        EventPayload.WaitInfo w2 = (EventPayload.WaitInfo) all(f, second.engagement().id()).get(0).payload();
        assertEquals(1, w1.position());
        assertEquals(2, w2.position());
        assertEquals(60, w1.expectedWaitSeconds(), "no history: the queue's default wait per position");
        assertEquals(120, w2.expectedWaitSeconds());
        assertTrue(woken.contains(second.engagement().id()));
        assertTrue(first.engagement().consumerSession().length() >= 26, "at least 128 random bits");
    }

    @Test
    void theSameTokenAskingAgainGetsTheSameEngagement() {
        Fixture f = new Fixture(recording);
        String cs = f.chatSession(SessionInfo.empty());
        Admission.Admitted a = (Admission.Admitted) f.admissions.requestEngagement(cs, f.site);
        Admission.Admitted b = (Admission.Admitted) f.admissions.requestEngagement(cs, f.site);
        assertEquals(a.engagement().id(), b.engagement().id());
        assertEquals(a.participantId(), b.participantId());
        assertTrue(b.replay());
    }

    @Test
    void concurrentRequestsWithOneTokenYieldOneEngagement() throws Exception {
        Fixture f = new Fixture(recording);
        String cs = f.chatSession(SessionInfo.empty());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Admission>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return f.admissions.requestEngagement(cs, f.site);
            }));
        }
        go.countDown();
        Set<Long> ids = new TreeSet<>();
        for (Future<Admission> r : results) {
            ids.add(((Admission.Admitted) r.get()).engagement().id());
        }
        pool.shutdown();
        assertEquals(1, ids.size());
    }

    @Test
    void sessionInformationRoutesThroughRules() {
        Fixture f = new Fixture(recording);
        f.db.inTransaction(c -> {
            f.tenants.insertRule(c, new io.parley.store.TenantStore.RuleRow(f.site.id(), 10, "billing topic", null, null,
                    null, null, "topic", "billing", "ROUTE", 2L));
            f.tenants.insertRule(c, new io.parley.store.TenantStore.RuleRow(f.site.id(), 20, "blocked product", null, 99L,
                    null, null, null, null, "REJECT", null));
            return null;
        });
        String billing = f.chatSession(Fixture.info(null, null, List.of(new SessionInfo.CustomField("Topic", "STRING", "Billing"))));
        Admission.Admitted a = (Admission.Admitted) f.admissions.requestEngagement(billing, f.site);
        assertEquals(2, a.engagement().queueId());

        String byQueueId = f.chatSession(Fixture.info(2L, null, List.of()));
        assertEquals(2, ((Admission.Admitted) f.admissions.requestEngagement(byQueueId, f.site)).engagement().queueId());

        String rejected = f.chatSession(Fixture.info(null, 99L, List.of()));
        EngagementException e = assertThrows(EngagementException.class,
                () -> f.admissions.requestEngagement(rejected, f.site));
        assertEquals(EngagementException.Kind.REFUSED, e.kind());
        assertEquals("ROUTING_REJECTED", e.code());
        int stored = f.db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM engagement WHERE chat_session_id = '"
                    + rejected + "'")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(0, stored);
    }

    @Test
    void aClosedQueueRefuses() {
        Fixture f = new Fixture(recording, Map.of(1L, "hours_zone = 'UTC', hours = 'SAT 10:00-11:00'"));
        EngagementException e = assertThrows(EngagementException.class, f::admit);
        assertEquals("QUEUE_CLOSED", e.code());
    }

    @Test
    void aFullQueueTellsTheCallerToWait() {
        Fixture f = new Fixture(recording, Map.of(1L, "max_waiting = 1"));
        f.admit();
        Admission second = f.admissions.requestEngagement(f.chatSession(SessionInfo.empty()), f.site);
        assertEquals(new Admission.QueueFull(1), second);
    }

    @Test
    void anAgentAcceptingMovesEveryoneUpAndFreesAPlace() {
        Fixture f = new Fixture(recording);
        Admission.Admitted first = f.admit();
        Admission.Admitted second = f.admit();
        queueSignals.clear();

        Participant lead = f.conversation.acceptAsLead(first.engagement().id(), f.ada);
        assertEquals(1, f.waits.refreshStaleQueues());

        assertEquals(Role.LEAD, lead.role());
        Event added = all(f, first.engagement().id()).stream().filter(e -> e.type() == EventType.PARTICIPANT_ADDED)
                .findFirst().orElseThrow();
        EventPayload.ParticipantAdded p = (EventPayload.ParticipantAdded) added.payload();
        assertEquals("Ada", p.name());
        assertEquals("Hi, I'm Ada.", p.greeting());
        List<Event> secondEvents = all(f, second.engagement().id());
        EventPayload.WaitInfo moved = (EventPayload.WaitInfo) secondEvents.get(secondEvents.size() - 1).payload();
        assertEquals(1, moved.position());
        assertEquals(List.of(1L), queueSignals);

        EngagementException again = assertThrows(EngagementException.class,
                () -> f.conversation.acceptAsLead(first.engagement().id(), f.ben));
        assertEquals(EngagementException.Kind.CONFLICT, again.kind());
    }

    @Test
    void aBurstOfDeparturesCostsOneWaitInformationRefresh() {
        Fixture f = new Fixture(recording);
        List<Admission.Admitted> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(f.admit());
        }
        f.conversation.acceptAsLead(waiting.get(0).engagement().id(), f.ada);
        f.conversation.acceptAsLead(waiting.get(1).engagement().id(), f.ben);
        f.conversation.conclude(waiting.get(2).engagement().id(), waiting.get(2).participantId(),
                ConcludeReason.END_USER_CONCLUDED);
        long last = waiting.get(4).engagement().id();
        assertEquals(1, all(f, last).size(), "nothing sent yet: only its arrival");

        assertEquals(1, f.waits.refreshStaleQueues());
        assertEquals(0, f.waits.refreshStaleQueues(), "nothing left to refresh");
        List<Event> events = all(f, last);
        assertEquals(2, events.size(), "one new message for three departures");
        assertEquals(2, ((EventPayload.WaitInfo) events.get(1).payload()).position());
    }

    @Test
    void aRetriedPostWithTheSameMessageIdStoresOneMessage() {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        Posted one = f.conversation.post(a.engagement().id(), a.participantId(), text("hello", "m-1"));
        Posted two = f.conversation.post(a.engagement().id(), a.participantId(), text("hello", "m-1"));
        assertFalse(one.replay());
        assertTrue(two.replay());
        assertEquals(one.seq(), two.seq());
        assertEquals(one.createdAt(), two.createdAt());
        long posted = all(f, a.engagement().id()).stream().filter(e -> e.type() == EventType.MESSAGE_POSTED).count();
        assertEquals(1, posted);
    }

    @Test
    void theEndUserNeverReceivesItsOwnPostsOrAgentOnlyEvents() {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        long e = a.engagement().id();
        Participant lead = f.conversation.acceptAsLead(e, f.ada);
        f.conversation.post(e, a.participantId(), text("mine", null));
        f.conversation.post(e, lead.id(), new PostCommand("whisper", false, false, null, Map.of(), Visibility.AGENTS));
        f.conversation.post(e, lead.id(), text("theirs", null));

        List<Event> seen = f.journal.forEndUser(e, a.participantId(), 0).events();
        List<String> bodies = seen.stream().filter(x -> x.type() == EventType.MESSAGE_POSTED)
                .map(x -> ((EventPayload.MessagePosted) x.payload()).body()).toList();
        assertEquals(List.of("theirs"), bodies);
    }

    @Test
    void sequenceNumbersHaveNoGapsUnderConcurrentPosts() throws Exception {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        long e = a.engagement().id();
        Participant lead = f.conversation.acceptAsLead(e, f.ada);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long who = i % 2 == 0 ? a.participantId() : lead.id();
            int n = i;
            done.add(pool.submit(() -> seqs.add(f.conversation.post(e, who, text("m" + n, null)).seq())));
        }
        for (Future<?> d : done) {
            d.get();
        }
        pool.shutdown();
        List<Long> stored = all(f, e).stream().map(Event::seq).toList();
        for (int i = 0; i < stored.size(); i++) {
            assertEquals(i + 1, stored.get(i), "gap-free from 1");
        }
        assertEquals(200, new TreeSet<>(seqs).size());
    }

    @Test
    void concludingTwiceIsNotAnErrorAndBlocksFurtherPosts() {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        long e = a.engagement().id();
        assertTrue(f.conversation.conclude(e, a.participantId(), ConcludeReason.END_USER_CONCLUDED));
        assertFalse(f.conversation.conclude(e, a.participantId(), ConcludeReason.END_USER_CONCLUDED));
        List<Event> events = all(f, e);
        EventPayload.Concluded c = (EventPayload.Concluded) events.get(events.size() - 1).payload();
        assertEquals(ConcludeReason.END_USER_CONCLUDED, c.reason());
        assertEquals(Role.END_USER, c.role());
        EngagementException x = assertThrows(EngagementException.class,
                () -> f.conversation.post(e, a.participantId(), text("late", null)));
        assertEquals(EngagementException.Kind.SESSION_ENDED, x.kind());
    }

    @Test
    void aConcludedSessionStaysUsableUntilItsClosingMessagesAreDelivered() {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        String sid = a.engagement().consumerSession();
        assertTrue(f.engagements.consumerSession(sid).orElseThrow().usable());
        f.conversation.conclude(a.engagement().id(), a.participantId(), ConcludeReason.END_USER_CONCLUDED);
        assertTrue(f.engagements.consumerSession(sid).orElseThrow().usable(), "the Concluded message is not delivered yet");

        Journal.Batch b = f.journal.forEndUser(a.engagement().id(), a.participantId(), 0);
        f.journal.delivered(a.participantId(), b.deliveredSeq());
        assertFalse(f.engagements.consumerSession(sid).orElseThrow().usable());
    }

    @Test
    void aConcludedSessionEndsAfterTheGracePeriodEvenUndelivered() {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        f.conversation.conclude(a.engagement().id(), a.participantId(), ConcludeReason.END_USER_CONCLUDED);
        f.clock.advance(Duration.ofSeconds(61));
        assertFalse(f.engagements.consumerSession(a.engagement().consumerSession()).orElseThrow().usable());
    }

    @Test
    void waitingTooLongConcludesWithQueueTimeout() {
        Fixture f = new Fixture(recording, Map.of(1L, "queue_timeout_seconds = 300"));
        Admission.Admitted first = f.admit();
        f.clock.advance(Duration.ofSeconds(200));
        Admission.Admitted second = f.admit();
        f.clock.advance(Duration.ofSeconds(101));

        assertEquals(1, f.conversation.concludeTimedOut());
        f.waits.refreshStaleQueues();
        List<Event> events = all(f, first.engagement().id());
        EventPayload.Concluded c = (EventPayload.Concluded) events.get(events.size() - 1).payload();
        assertEquals(ConcludeReason.QUEUE_TIMEOUT, c.reason());
        List<Event> behind = all(f, second.engagement().id());
        assertEquals(1, ((EventPayload.WaitInfo) behind.get(behind.size() - 1).payload()).position());
        assertEquals(EngagementState.QUEUED, f.engagements.engagement(second.engagement().id()).orElseThrow().state());
    }

    @Test
    void offTheRecordMessagesAreDeliveredThenErasedAfterTheEngagementEnds() {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        long e = a.engagement().id();
        Participant lead = f.conversation.acceptAsLead(e, f.ada);
        f.conversation.post(e, lead.id(), new PostCommand("secret", false, true, null, Map.of(), Visibility.ALL));
        Event delivered = f.journal.forEndUser(e, a.participantId(), 0).events().stream()
                .filter(x -> x.type() == EventType.MESSAGE_POSTED).findFirst().orElseThrow();
        assertEquals("secret", ((EventPayload.MessagePosted) delivered.payload()).body());
        assertTrue(delivered.offRecord());

        f.conversation.conclude(e, lead.id(), ConcludeReason.AGENT_CONCLUDED);
        assertEquals(0, f.conversation.eraseOffRecord(), "not before the grace period");
        f.clock.advance(Duration.ofSeconds(61));
        assertEquals(1, f.conversation.eraseOffRecord());
        Event erased = all(f, e).stream().filter(x -> x.type() == EventType.MESSAGE_POSTED).findFirst().orElseThrow();
        assertEquals("", ((EventPayload.MessagePosted) erased.payload()).body());
    }

    @Test
    void postsAreValidated() {
        Fixture f = new Fixture(recording);
        Admission.Admitted a = f.admit();
        EngagementException missing = assertThrows(EngagementException.class,
                () -> f.conversation.post(a.engagement().id(), a.participantId(), text(null, null)));
        assertEquals(EngagementException.Kind.INVALID, missing.kind());
        EngagementException tooLong = assertThrows(EngagementException.class,
                () -> f.conversation.post(a.engagement().id(), a.participantId(), text("x".repeat(1001), null)));
        assertEquals("MESSAGE_TOO_LONG", tooLong.code());
        assertInstanceOf(EngagementException.class, assertThrows(EngagementException.class,
                () -> f.conversation.post(a.engagement().id(), 987654L, text("who?", null))));
    }
}
