package io.parley.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.AgentStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Agent sessions as every agent call sees them: found without a read while they live, gone once they end. */
class AgentPresenceTest {

    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final EngagementSignals signals = new EngagementSignals() {
        @Override
        public void engagementChanged(long engagementId) {
        }

        @Override
        public void queueChanged(long queueId) {
        }

        @Override
        public void agentChanged(String agentSessionId) {
        }

        @Override
        public void routingNeeded() {
        }

        @Override
        public void sessionEnded(String sessionId) {
            ended.add(sessionId);
        }
    };
    private final Fixture f = new Fixture(signals);
    private final AgentPresence presence = f.domain.agents();

    private void sql(String statement, String sessionId) {
        f.db.inTransaction(c -> {
            try (var ps = c.prepareStatement(statement)) {
                ps.setString(1, sessionId);
                return ps.executeUpdate();
            }
        });
    }

    private AgentStore.SessionRow row(String sessionId) {
        return f.agentSessions.session(sessionId).orElseThrow();
    }

    @Test
    void aLiveSessionIsReadOnceAndForgottenWhenItEnds() {
        AgentSession s = presence.logon(f.ada, false, false);
        assertEquals(new AgentSession.Identity(s.id(), f.ada, f.site.id()), presence.identity(s.id()).orElseThrow());

        // Behind the journal's back, the row says ended: the identity read before still answers.
        sql("UPDATE agent_session SET ended_at = CURRENT_TIMESTAMP WHERE id = ?", s.id());
        assertTrue(presence.identity(s.id()).isPresent(), "a live session is not read again on every call");
        sql("UPDATE agent_session SET ended_at = NULL WHERE id = ?", s.id());

        presence.logoff(s.id(), true);
        assertTrue(presence.identity(s.id()).isEmpty(), "a logoff is seen at once");
        assertEquals(List.of(s.id()), ended, "and told to the other nodes");
    }

    @Test
    void takingOverEndsTheOldSessionForEveryCaller() {
        AgentSession first = presence.logon(f.ada, false, false);
        assertTrue(presence.identity(first.id()).isPresent());

        AgentSession second = presence.logon(f.ada, true, false);
        assertTrue(presence.identity(first.id()).isEmpty(), "the session taken over is ended");
        assertEquals(f.ada, presence.identity(second.id()).orElseThrow().accountId());
        assertEquals(List.of(first.id()), ended);
    }

    @Test
    void unknownAndOverlongIdsAreNoSessions() {
        assertTrue(presence.identity("no-such-session").isEmpty());
        assertTrue(presence.identity("x".repeat(65)).isEmpty());
        assertTrue(presence.identity(null).isEmpty());
    }

    @Test
    void theLastSeenTimeIsWrittenAtMostEveryFewSecondsAndAwayEndsAtTheNextCall() {
        AgentSession s = presence.logon(f.ada, false, false);
        Instant logon = row(s.id()).lastSeenAt();

        f.clock.advance(AgentStore.TOUCH_EVERY.plusSeconds(1));
        presence.touch(s.id());
        Instant touched = row(s.id()).lastSeenAt();
        assertTrue(touched.isAfter(logon), "a call after a while is noted");

        f.clock.advance(Duration.ofSeconds(1));
        presence.touch(s.id());
        assertEquals(touched, row(s.id()).lastSeenAt(), "a call soon after costs no write");

        f.clock.advance(AgentStore.TOUCH_EVERY);
        presence.touch(s.id());
        assertTrue(row(s.id()).lastSeenAt().isAfter(touched), "and once the interval has passed it is written again");

        f.clock.advance(Duration.ofSeconds(61));
        assertEquals(1, presence.markAway(), "no call for longer than the away time");
        assertTrue(row(s.id()).away());
        presence.touch(s.id());
        assertFalse(row(s.id()).away(), "the next call brings the agent back");
    }

    @Test
    void aSessionThatEndsWhileItIsBeingReadIsNotKeptAfterwards() {
        OpenSessions open = new OpenSessions(OpenSessions.MAX_AGE);
        AgentSession.Identity read = new AgentSession.Identity("s-1", 7, 1);
        open.ended("s-1");
        open.put(read);
        assertTrue(open.agent("s-1").isEmpty(), "an end recorded before the read's answer is put still wins");

        open.put(new AgentSession.Identity("s-2", 7, 1));
        open.forgetAll();
        assertTrue(open.agent("s-2").isEmpty(), "after missed notices every session is read afresh");
    }
}
