package io.parley.engagement;

/** What Parley tells an agent session itself, beside the events of its engagements. */
public sealed interface AgentNotice {

    /** The type names notices are stored under. */
    String OFFER = "ASSIGNMENT_OFFER";
    String OFFER_WITHDRAWN = "OFFER_WITHDRAWN";
    String CONFIG_CHANGE = "CONFIG_CHANGE";
    String REQUEST_REFUSED = "REQUEST_REFUSED";

    /**
     * An engagement is offered: to lead it, to take it over (TRANSFER), or to join it (CONFERENCE).
     *
     * @param autoAccepted the session accepts offers automatically, so this one is taken already
     */
    record Offer(long engagementId, long queueId, AssignmentType assignmentType, long expiresAtMillis,
                 String customerName, String question, boolean autoAccepted, Long requestedBy) implements AgentNotice {
    }

    /** An offer was withdrawn: it timed out, another agent took the engagement, it ended, or the agent went away. */
    record OfferWithdrawn(long engagementId, AssignmentType assignmentType, String reason) implements AgentNotice {
    }

    /** The session's settings: where to reach Parley, its capacity and status. */
    record ConfigChange(String pool, int maxSessions, String status, boolean autoAccept) implements AgentNotice {
    }

    /** A transfer or conference this agent asked for was refused or timed out. */
    record RequestRefused(long engagementId, AssignmentType assignmentType, long accountId, String reason)
            implements AgentNotice {
    }

    /** The notice class of each stored type name. */
    static Class<? extends AgentNotice> classOf(String type) {
        return switch (type) {
            case OFFER -> Offer.class;
            case OFFER_WITHDRAWN -> OfferWithdrawn.class;
            case CONFIG_CHANGE -> ConfigChange.class;
            case REQUEST_REFUSED -> RequestRefused.class;
            default -> throw new IllegalArgumentException("Unknown agent notice " + type);
        };
    }

    static String typeOf(AgentNotice notice) {
        if (notice instanceof Offer) {
            return OFFER;
        }
        if (notice instanceof OfferWithdrawn) {
            return OFFER_WITHDRAWN;
        }
        if (notice instanceof ConfigChange) {
            return CONFIG_CHANGE;
        }
        return REQUEST_REFUSED;
    }
}
