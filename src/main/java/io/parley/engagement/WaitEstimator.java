package io.parley.engagement;

import java.time.Duration;
import java.util.List;

/**
 * Estimates waits from a queue's recent history.
 *
 * <p>The average wait is the mean queue time of the engagements agents took from this queue
 * recently. The expected wait of the engagement at position {@code p} is {@code p} times the
 * recent interval between two departures to an agent (the queue's service rate); with too
 * little history it falls back to the queue's configured wait per position.
 */
public final class WaitEstimator {

    /** Fewer departures than this in the window and the history is not trusted. */
    static final int MIN_SAMPLES = 3;

    /** Recent departures from a queue to an agent: how long each waited, over what span. */
    public record History(List<Duration> waits, Duration span) {
    }

    private final int defaultSecondsPerPosition;
    private final History history;

    public WaitEstimator(int defaultSecondsPerPosition, History history) {
        this.defaultSecondsPerPosition = defaultSecondsPerPosition;
        this.history = history;
    }

    /** The mean wait of recent departures, in seconds; the default per position without history. */
    public int averageWaitSeconds() {
        if (history.waits().size() < MIN_SAMPLES) {
            return defaultSecondsPerPosition;
        }
        long total = history.waits().stream().mapToLong(Duration::toSeconds).sum();
        return (int) Math.round((double) total / history.waits().size());
    }

    /** The expected wait for the engagement at {@code position} (1 = next), in seconds. */
    public int expectedWaitSeconds(int position) {
        if (history.waits().size() < MIN_SAMPLES || history.span().isZero()) {
            return position * defaultSecondsPerPosition;
        }
        double secondsPerDeparture = (double) history.span().toSeconds() / history.waits().size();
        return (int) Math.max(1, Math.round(position * secondsPerDeparture));
    }
}
