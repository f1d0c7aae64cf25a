package io.parley.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitEstimatorTest {

    @Test
    void withoutEnoughHistoryTheDefaultPerPositionApplies() {
        WaitEstimator e = new WaitEstimator(45, new WaitEstimator.History(List.of(Duration.ofSeconds(10)), Duration.ofMinutes(5)));
        assertEquals(45, e.averageWaitSeconds());
        assertEquals(135, e.expectedWaitSeconds(3));
    }

    @Test
    void historyGivesTheAverageAndTheServiceRate() {
        List<Duration> waits = List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(90), Duration.ofSeconds(120));
        WaitEstimator e = new WaitEstimator(45, new WaitEstimator.History(waits, Duration.ofMinutes(8)));
        assertEquals(75, e.averageWaitSeconds());
        assertEquals(120, e.expectedWaitSeconds(1), "four departures in eight minutes: one every two minutes");
        assertEquals(360, e.expectedWaitSeconds(3));
    }
}
