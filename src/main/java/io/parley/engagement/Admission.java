package io.parley.engagement;

/** The outcome of asking for an engagement. */
public sealed interface Admission {

    /** In the queue (or there already: the same token asked before). */
    record Admitted(Engagement engagement, long participantId, boolean replay) implements Admission {
    }

    /** The queue is at capacity: wait for a place, then ask again. */
    record QueueFull(long queueId) implements Admission {
    }
}
