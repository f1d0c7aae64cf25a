package io.parley.throttle;

import io.parley.config.ConfigException;
import io.parley.config.Settings;
import java.time.Duration;

/**
 * The {@code throttle.*} settings: how many failed password logins an account and a client
 * address get before each further attempt must wait, and before they are locked; and the request
 * budgets of the calls anyone may make without credentials.
 *
 * @param enabled           whether anything is throttled
 * @param account           the failed-login limits of one account (by the user name tried)
 * @param address           the failed-login limits of one client address (IPv6: its /64)
 * @param lock              how long a lock lasts: the time the lock limit takes to give back one attempt
 * @param requestsPerMinute what one client address may spend per minute on getQueueStats,
 *                          getEngagementQueue and the pages (each node counts its own)
 * @param sessionsPerMinute the chat sessions one API user may open per minute (establishSessions,
 *                          chatAuthenticate), counted across the cluster
 */
public record ThrottleSettings(boolean enabled, LoginLimits account, LoginLimits address, Duration lock,
                               int requestsPerMinute, int sessionsPerMinute) {

    /**
     * Failed-login limits of one subject.
     *
     * @param free     failures that cost no wait
     * @param delay    after them, one more attempt per this
     * @param lockAfter failures in all (more than {@code free}) after which the subject is locked
     */
    public record LoginLimits(int free, Duration delay, int lockAfter) {
    }

    public static ThrottleSettings from(Settings s) {
        ThrottleSettings t = new ThrottleSettings(
                s.bool("throttle.enabled", true),
                new LoginLimits(
                        s.integer("throttle.login.accountFailures", 5, 1, 1000),
                        s.seconds("throttle.login.accountDelaySeconds", 20, 1, 3600),
                        s.integer("throttle.login.accountLockAfter", 10, 2, 100_000)),
                new LoginLimits(
                        s.integer("throttle.login.addressFailures", 20, 1, 10_000),
                        s.seconds("throttle.login.addressDelaySeconds", 5, 1, 3600),
                        s.integer("throttle.login.addressLockAfter", 100, 2, 1_000_000)),
                Duration.ofMinutes(s.integer("throttle.login.lockMinutes", 15, 1, 24 * 60)),
                s.integer("throttle.requests.perAddressPerMinute", 1200, 1, 10_000_000),
                s.integer("throttle.sessions.perApiUserPerMinute", 1200, 1, 10_000_000));
        t.check("throttle.login.accountLockAfter", t.account());
        t.check("throttle.login.addressLockAfter", t.address());
        return t;
    }

    private void check(String key, LoginLimits limits) {
        if (limits.lockAfter() <= limits.free()) {
            throw new ConfigException(key, "must be larger than the failures allowed without a wait ("
                    + limits.free() + "), not " + limits.lockAfter());
        }
    }
}
