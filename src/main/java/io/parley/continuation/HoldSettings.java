package io.parley.continuation;

import io.parley.config.Settings;
import java.time.Duration;

/**
 * How long Parley holds requests, and how many at once.
 *
 * @param pollHold       a getMessages poll with nothing to deliver is answered empty after this (at most 30 s,
 *                       below the 60 s idle timeout of common proxies)
 * @param admissionHold  a requestEngagement held for a place in a full queue is answered 408 after this
 * @param maxHeld        the node's cap on held requests; beyond it, 503 with Retry-After
 * @param retryAfter     the Retry-After of a 503
 * @param deliveryThreads threads that read and write woken polls (parked polls hold none)
 */
public record HoldSettings(Duration pollHold, Duration admissionHold, int maxHeld, Duration retryAfter,
                           int deliveryThreads) {

    public static HoldSettings from(Settings s) {
        return new HoldSettings(
                s.seconds("poll.hold", 25, 1, 30),
                s.seconds("admission.hold", 20, 1, 120),
                s.integer("poll.maxHeld", 15_000, 1, 1_000_000),
                s.seconds("overload.retryAfter", 5, 1, 300),
                s.integer("delivery.threads", 4, 1, 64));
    }
}
