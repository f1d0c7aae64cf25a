package io.parley.engagement;

/** Ready-made engagements for tests of other packages. */
public final class EngagementServices {

    private EngagementServices() {
    }

    /** An engagement with an end user and a lead agent, on a fresh database. */
    public record Chat(EngagementService service, long engagementId, String sessionId, long endUser, long agent,
                       Object fixture) {
    }

    public static Chat chatWithAgent(EngagementSignals signals) {
        Fixture f = new Fixture(signals);
        EngagementService.Admission.Admitted a = f.admit();
        EngagementService.Participant lead = f.engagements.acceptAsLead(a.engagement().id(), f.ada);
        return new Chat(f.engagements, a.engagement().id(), a.engagement().consumerSession(), a.participantId(),
                lead.id(), f);
    }

    /** A second, waiting consumer on the same database as {@code chat}. */
    public static Chat anotherConsumer(Chat chat) {
        Fixture f = (Fixture) chat.fixture();
        EngagementService.Admission.Admitted a = f.admit();
        return new Chat(f.engagements, a.engagement().id(), a.engagement().consumerSession(), a.participantId(), -1, f);
    }
}
