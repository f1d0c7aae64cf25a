package io.parley.engagement;

import java.time.Duration;

/** Timings of routing and of agent liveness. */
public record AgentSettings(Duration offerTimeout, Duration awayAfter) {
}
