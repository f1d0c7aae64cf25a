package io.parley.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.store.ChatSessionStore;
import io.parley.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Opens chat sessions for the bootstrap calls and finds them again when the token comes back. */
public final class ChatSessions {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ChatSessionStore store;
    private final Clock clock;

    public ChatSessions(ChatSessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Opens a session for a consumer of site {@code siteId}, valid for {@code ttl}. */
    public ChatSession open(long siteId, String authUserName, SessionInfo info, Duration ttl) {
        Instant now = clock.instant();
        ChatSession s = new ChatSession(SecureIds.next(), siteId, authUserName, info, now, now.plus(ttl));
        store.insert(new ChatSessionStore.Row(s.id(), siteId, authUserName, write(info), now, s.expiresAt()));
        return s;
    }

    public Optional<ChatSession> find(String id) {
        return store.find(id).map(ChatSessions::session);
    }

    /** The session, read on the caller's connection (inside its transaction). */
    Optional<ChatSession> find(Tx tx, String id) {
        return store.find(tx, id).map(ChatSessions::session);
    }

    private static ChatSession session(ChatSessionStore.Row r) {
        return new ChatSession(r.id(), r.siteId(), r.authUserName(), read(r.sessionInfo()), r.createdAt(), r.expiresAt());
    }

    private static String write(SessionInfo info) {
        try {
            return JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Session information cannot be stored", e);
        }
    }

    /** Session information as stored (JSON). */
    public static SessionInfo read(String json) {
        try {
            return JSON.readValue(json, SessionInfo.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored session information is unreadable", e);
        }
    }
}
