package io.parley.it;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests a node holds now, read from its metrics: how a test knows that a poll or an
 * admission is parked, instead of sleeping and hoping it is.
 */
final class HeldRequests {

    private static final Pattern HELD = Pattern.compile("(?m)^parley_held_requests (\\S+)$");

    private HeldRequests() {
    }

    /** How many requests the node holds now. */
    static int now(Http node) {
        Matcher m = HELD.matcher(node.get("/metrics").body());
        return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    }

    /** Waits until the node holds at least {@code count} requests. */
    static void await(Http node, int count, Duration atMost) {
        org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> now(node) >= count);
    }

    /** Waits until the node holds at least {@code count} requests, for up to 30 s. */
    static void await(Http node, int count) {
        await(node, count, Duration.ofSeconds(30));
    }
}
