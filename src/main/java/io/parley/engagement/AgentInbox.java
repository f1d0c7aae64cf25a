package io.parley.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.store.AgentStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Writes notices into agent sessions' inboxes, and reads them back with Jackson. */
final class AgentInbox {

    static final String ENGAGEMENT_EVENT = "ENGAGEMENT_EVENT";
    static final String OFFER = "ASSIGNMENT_OFFER";
    static final String OFFER_WITHDRAWN = "OFFER_WITHDRAWN";
    static final String CONFIG_CHANGE = "CONFIG_CHANGE";
    static final String REQUEST_REFUSED = "REQUEST_REFUSED";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final AgentStore agents;

    AgentInbox(AgentStore agents) {
        this.agents = agents;
    }

    void notify(Connection c, String sessionId, AgentNotice notice, Long engagementId, Instant now, Changes changes)
            throws SQLException {
        long seq = agents.nextSeq(c, sessionId);
        agents.insertEvent(c, new AgentStore.EventRow(sessionId, seq, AgentNotice.typeOf(notice), engagementId, null, now,
                write(notice)));
        changes.agent(sessionId);
    }

    static AgentNotice read(String type, String payload) {
        try {
            return JSON.readValue(payload, AgentNotice.classOf(type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable agent notice of type " + type, e);
        }
    }

    private static String write(AgentNotice notice) {
        try {
            return JSON.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Agent notice cannot be written", e);
        }
    }
}
