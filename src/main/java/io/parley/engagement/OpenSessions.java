package io.parley.engagement;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/**
 * The consumer sessions of engagements still going, as every consumer call looks them up: what a
 * session is (its engagement, participant and site) never changes, and whether it is usable changes
 * only when its engagement concludes, which the {@link Journal} reports after the commit. Another
 * node's conclusion shows here within {@link #MAX_AGE}; meanwhile every change still checks the
 * engagement's state in its own transaction, so a stale entry can only let a poll read on.
 */
public final class OpenSessions {

    static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final int MAX_SESSIONS = 100_000;

    private final Cache<String, ConsumerSessionView> open = Caffeine.newBuilder()
            .maximumSize(MAX_SESSIONS).expireAfterWrite(MAX_AGE).build();

    Optional<ConsumerSessionView> get(String sessionId) {
        return Optional.ofNullable(open.getIfPresent(sessionId));
    }

    void put(ConsumerSessionView session) {
        open.put(session.sessionId(), session);
    }

    /** The engagement behind the session has concluded: the session is read afresh from now on. */
    void ended(String sessionId) {
        open.invalidate(sessionId);
    }
}
