package io.parley.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.AdminStore;
import org.junit.jupiter.api.Test;

/** A site goes with everything it holds, its past chats (and their agents' rows) included. */
class SiteDeletionTest {

    private long count(Fixture f, String sql) {
        return f.db.read(c -> {
            try (var ps = c.prepareStatement(sql); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void aSiteWithConcludedChatsIsDeletedWithThem() {
        Fixture f = new Fixture(EngagementSignals.NONE);
        Admission.Admitted a = f.admit();
        Participant lead = f.conversation.acceptAsLead(a.engagement().id(), f.ada);
        f.conversation.conclude(a.engagement().id(), lead.id(), ConcludeReason.AGENT_CONCLUDED);
        f.admit();

        boolean deleted = f.db.inTransaction(c -> new AdminStore().deleteSite(c, f.site.id()));
        assertTrue(deleted);
        for (String table : new String[] {"site", "engagement", "participant", "engagement_event", "chat_session", "account"}) {
            assertEquals(0, count(f, "SELECT COUNT(*) FROM " + table), table);
        }
    }
}
