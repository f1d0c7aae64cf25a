package io.parley.auth;

import io.parley.engagement.ConsumerSession;
import java.util.Optional;

/** Looks up consumer sessions by their {@code SessionId}; the engagement side implements it. */
@FunctionalInterface
public interface ConsumerSessions {

    Optional<ConsumerSession> find(String sessionId);
}
