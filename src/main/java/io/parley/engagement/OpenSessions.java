package io.parley.engagement;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The sessions still open, as every consumer and agent call looks them up, so that a call costs
 * no database read to find its caller.
 *
 * <p>What a session is (its engagement, participant and site; its agent account and site) never
 * changes. Whether it is usable changes once: when a consumer's engagement concludes or an agent
 * session ends. The {@link Journal} reports that here after the commit, and other nodes hear of
 * it through {@link EngagementSignals#sessionEnded}; should that notice be lost, the entry still
 * goes within the maximum age ({@link #MAX_AGE} by default; a node that hears no notices keeps
 * entries no longer than its sweep period). Meanwhile every change reads the engagement's or the
 * agent session's state afresh, so a stale entry can only let a poll read on.
 *
 * <p>Session ids are never reused, so an ended id is remembered for as long as an entry may live:
 * a look-up that read the session just before it ended cannot put it back afterwards.
 */
public final class OpenSessions {

    public static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final int MAX_SESSIONS = 100_000;

    private final Cache<String, ConsumerSession> consumers;
    private final Cache<String, AgentSession.Identity> agents;
    private final Cache<String, Boolean> ended;
    /** When this node last wrote an agent session's {@code last_seen_at}: touching again sooner is a no-op. */
    private final Cache<String, Instant> touched;

    public OpenSessions(Duration maxAge) {
        consumers = cache(maxAge);
        agents = cache(maxAge);
        ended = cache(maxAge);
        touched = cache(maxAge);
    }

    private static <V> Cache<String, V> cache(Duration maxAge) {
        return Caffeine.newBuilder().maximumSize(MAX_SESSIONS).expireAfterWrite(maxAge).build();
    }

    Optional<ConsumerSession> consumer(String sessionId) {
        return Optional.ofNullable(consumers.getIfPresent(sessionId));
    }

    void put(ConsumerSession session) {
        put(consumers, session.sessionId(), session);
    }

    Optional<AgentSession.Identity> agent(String sessionId) {
        return Optional.ofNullable(agents.getIfPresent(sessionId));
    }

    void put(AgentSession.Identity session) {
        put(agents, session.id(), session);
    }

    /** The consumer session's engagement concluded, or the agent session ended: it is read afresh from now on. */
    public void ended(String sessionId) {
        ended.put(sessionId, Boolean.TRUE);
        consumers.invalidate(sessionId);
        agents.invalidate(sessionId);
        touched.invalidate(sessionId);
    }

    /** Notices of other nodes may have been missed (the listener reconnected): every session is read afresh. */
    public void forgetAll() {
        consumers.invalidateAll();
        agents.invalidateAll();
    }

    // Put, then look for the end: an end recorded between the read and the put takes the entry out again.
    private <V> void put(Cache<String, V> cache, String sessionId, V value) {
        cache.put(sessionId, value);
        if (ended.getIfPresent(sessionId) != null) {
            cache.invalidate(sessionId);
        }
    }

    /** Whether this node wrote the agent session's last-seen time after {@code since}. */
    boolean touchedAfter(String sessionId, Instant since) {
        Instant at = touched.getIfPresent(sessionId);
        return at != null && at.isAfter(since);
    }

    void touched(String sessionId, Instant at) {
        touched.put(sessionId, at);
    }

    /** The agent session was marked away: its next call must write its last-seen time again. */
    void away(String sessionId) {
        touched.invalidate(sessionId);
    }
}
