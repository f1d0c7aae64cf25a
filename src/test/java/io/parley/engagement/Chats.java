package io.parley.engagement;

/** Ready-made engagements for tests of other packages. */
public final class Chats {

    private Chats() {
    }

    /** An engagement with an end user and a lead agent, on a fresh database. */
    public record Chat(EngagementModule domain, long engagementId, String sessionId, long endUser, long agent,
                       Object fixture) {
    }

    public static Chat chatWithAgent(EngagementSignals signals) {
        Fixture f = new Fixture(signals);
        Admission.Admitted a = f.admit();
        Participant lead = f.conversation.acceptAsLead(a.engagement().id(), f.ada);
        return new Chat(f.domain, a.engagement().id(), a.engagement().consumerSession(), a.participantId(),
                lead.id(), f);
    }

    /** A second, waiting consumer on the same database as {@code chat}. */
    public static Chat anotherConsumer(Chat chat) {
        Fixture f = (Fixture) chat.fixture();
        Admission.Admitted a = f.admit();
        return new Chat(f.domain, a.engagement().id(), a.engagement().consumerSession(), a.participantId(), -1, f);
    }
}
