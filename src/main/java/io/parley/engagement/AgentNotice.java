package io.parley.engagement;

/** What Parley tells an agent session itself, beside the events of its engagements. */
public sealed interface AgentNotice {

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
            case AgentInbox.OFFER -> Offer.class;
            case AgentInbox.OFFER_WITHDRAWN -> OfferWithdrawn.class;
            case AgentInbox.CONFIG_CHANGE -> ConfigChange.class;
            case AgentInbox.REQUEST_REFUSED -> RequestRefused.class;
            default -> throw new IllegalArgumentException("Unknown agent notice " + type);
        };
    }

    static String typeOf(AgentNotice notice) {
        if (notice instanceof Offer) {
            return AgentInbox.OFFER;
        }
        if (notice instanceof OfferWithdrawn) {
            return AgentInbox.OFFER_WITHDRAWN;
        }
        if (notice instanceof ConfigChange) {
            return AgentInbox.CONFIG_CHANGE;
        }
        return AgentInbox.REQUEST_REFUSED;
    }
}
