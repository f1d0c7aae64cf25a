package io.parley.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.parley.compliance.IpAddress;
import io.parley.store.Database;
import io.parley.store.LoginLockStore;
import io.parley.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Throttling of what strangers can call repeatedly: password logins, and the calls that need no
 * credentials. Token buckets (Bucket4j) do the counting; which store holds them decides whether
 * a limit is the node's or the cluster's.
 *
 * <p><b>Password logins</b> (every Basic login: establishSessions, chatAuthenticate, agentTokens,
 * serviceSettings, admin login) are limited per account (the user name tried, whether or not it
 * exists, so a 429 tells nothing about which accounts exist) and per client address (IPv6
 * addresses by their /64, which one subscriber usually holds whole). An attempt is admitted only
 * while both buckets hold a token, decided <em>before</em> the password is hashed; a failure
 * takes a token from both, a success resets the account's count. A subject's bucket has two limits: a few
 * failures free, then one attempt per delay; and a larger number after which the subject is
 * locked, one attempt per lock period. A lock is recorded for the administrators (who may clear
 * it) and reported to the {@link Listener}.
 *
 * <p><b>Budgets</b>: per client address for getQueueStats, getEngagementQueue and the pages
 * (counted by each node in its memory: a database round trip would cost more than those calls),
 * and per API user for opening chat sessions (counted in the shared store).
 *
 * <p>A refusal is remembered by the node for a few seconds, so a flood of refused attempts costs
 * no store round trips at all.
 */
public final class Throttle {

    private static final System.Logger LOG = System.getLogger(Throttle.class.getName());

    /** How long a node answers a refused key from memory before it asks the store again. */
    static final Duration REMEMBER_REFUSAL = Duration.ofSeconds(5);

    /** What was exhausted. */
    public enum Reason {
        /** the account's failed logins */
        ACCOUNT,
        /** the client address's failed logins */
        ADDRESS,
        /** the client address's request budget */
        REQUESTS,
        /** the API user's session budget */
        SESSIONS;

        /** The metric tag. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A refusal: 429 with {@code Retry-After}.
     *
     * @param reason     what was exhausted
     * @param retryAfter when to try again (at least one second)
     */
    public record Throttled(Reason reason, Duration retryAfter) {
    }

    /**
     * A lock in force.
     *
     * @param id          its id in the admin API
     * @param kind        {@link Reason#ACCOUNT} or {@link Reason#ADDRESS}
     * @param subject     the user name tried, or the client address
     * @param lockedAt    when it was locked
     * @param lockedUntil when the next attempt is allowed
     */
    public record Lock(long id, Reason kind, String subject, Instant lockedAt, Instant lockedUntil) {
    }

    /** Told of every refusal and every new lock (metrics, audit log). Must not throw. */
    public interface Listener {
        void throttled(String endpoint, Reason reason);

        void locked(String endpoint, Reason kind, String subject, Instant until);
    }

    private final ThrottleSettings settings;
    private final ProxyManager<String> shared;
    private final ProxyManager<String> local;
    private final LoginLockStore locks;
    private final Clock clock;
    private final Listener listener;
    private final BucketConfiguration accountLimits;
    private final BucketConfiguration addressLimits;
    private final BucketConfiguration requestLimits;
    private final BucketConfiguration sessionLimits;
    /** Keys refused lately, and until when (epoch millis), so that floods cost no round trip. */
    private final Cache<String, Long> refusedUntil = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(REMEMBER_REFUSAL).build();

    /**
     * @param shared buckets every node sees (PostgreSQL on a cluster; memory on H2, which one node owns)
     * @param local  this node's buckets, for the request budgets
     * @param locks  where locks are recorded for administrators
     */
    public Throttle(ThrottleSettings settings, ProxyManager<String> shared, ProxyManager<String> local,
                    LoginLockStore locks, Clock clock, Listener listener) {
        this.settings = settings;
        this.shared = shared;
        this.local = local;
        this.locks = locks;
        this.clock = clock;
        this.listener = listener;
        this.accountLimits = loginLimits(settings.account(), settings.lock());
        this.addressLimits = loginLimits(settings.address(), settings.lock());
        this.requestLimits = perMinute(settings.requestsPerMinute());
        this.sessionLimits = perMinute(settings.sessionsPerMinute());
    }

    /** Index of the lock limit in a login bucket's configuration. */
    private static final int LOCK_LIMIT = 1;

    private static BucketConfiguration loginLimits(ThrottleSettings.LoginLimits l, Duration lock) {
        return BucketConfiguration.builder()
                .addLimit(b -> b.capacity(l.free()).refillGreedy(1, l.delay()).id("delay"))
                .addLimit(b -> b.capacity(l.lockAfter()).refillGreedy(1, lock).id("lock"))
                .build();
    }

    private static BucketConfiguration perMinute(int n) {
        return BucketConfiguration.builder()
                .addLimit(b -> b.capacity(n).refillGreedy(n, Duration.ofMinutes(1)))
                .build();
    }

    /** A password check admitted by {@link #login}: tell the throttle how it ended. */
    public interface LoginAttempt {
        /** The password was right: the account's count starts again. */
        void succeeded();

        /**
         * The password was wrong (or the account unknown): the account and the address each spend a
         * token; a lock may follow.
         */
        void failed();
    }

    /** The outcome of {@link #login}: an attempt to report on, or a refusal. */
    public sealed interface LoginDecision permits Admitted, Refused {
    }

    /** The password may be checked. */
    public record Admitted(LoginAttempt attempt) implements LoginDecision {
    }

    /** The password must not be checked: 429. */
    public record Refused(Throttled throttled) implements LoginDecision {
    }

    private static final LoginAttempt UNTHROTTLED = new LoginAttempt() {
        @Override
        public void succeeded() {
        }

        @Override
        public void failed() {
        }
    };

    /**
     * Decides, before any password hash is computed, whether {@code username} may try a password
     * from {@code address}.
     *
     * <p>Admission only looks at the buckets; a failure takes its token afterwards, even from an
     * empty bucket. So a busy API user's server, logging in from one address many times at once,
     * is never held up by its own successes; and guesses sent all at once into the last free token
     * are each counted, leaving the bucket in debt: the next attempt waits until it is paid off.
     *
     * @param endpoint the operation, for metrics and the audit log
     */
    public LoginDecision login(String endpoint, String username, String address) {
        if (!settings.enabled()) {
            return new Admitted(UNTHROTTLED);
        }
        String from = addressOf(address);
        Subject addr = new Subject(Reason.ADDRESS, from, "login:address:" + from, addressLimits);
        Subject account = new Subject(Reason.ACCOUNT, username, "login:account:" + digest(username), accountLimits);
        Optional<Throttled> remembered = remembered(addr).or(() -> remembered(account));
        if (remembered.isPresent()) {
            return refuse(endpoint, remembered.get());
        }
        EstimationProbe byAddress = store(() -> bucket(shared, addr).estimateAbilityToConsume(1));
        if (!byAddress.canBeConsumed()) {
            return refuse(endpoint, refused(addr, byAddress.getNanosToWaitForRefill()));
        }
        VerboseResult<EstimationProbe> byAccount = store(() -> bucket(shared, account).asVerbose()
                .estimateAbilityToConsume(1));
        if (!byAccount.getValue().canBeConsumed()) {
            return refuse(endpoint, refused(account, byAccount.getValue().getNanosToWaitForRefill()));
        }
        boolean accountFailedBefore = !isFull(byAccount.getState(), accountLimits);
        return new Admitted(new LoginAttempt() {
            @Override
            public void succeeded() {
                if (accountFailedBefore) {
                    store(() -> {
                        bucket(shared, account).reset();
                        return null;
                    });
                }
            }

            @Override
            public void failed() {
                lockIfSpent(endpoint, addr, store(() -> bucket(shared, addr).asVerbose().consumeIgnoringRateLimits(1)));
                lockIfSpent(endpoint, account, store(() -> bucket(shared, account).asVerbose()
                        .consumeIgnoringRateLimits(1)));
            }
        });
    }

    private static boolean isFull(BucketState state, BucketConfiguration limits) {
        for (int i = 0; i < limits.getBandwidths().length; i++) {
            if (state.getCurrentSize(i) < limits.getBandwidths()[i].getCapacity()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Spends one request of {@code address}'s budget for getQueueStats, getEngagementQueue or the pages.
     *
     * @return a refusal when the budget is spent
     */
    public Optional<Throttled> request(String endpoint, String address) {
        String from = addressOf(address);
        return spend(endpoint, local, new Subject(Reason.REQUESTS, from, "requests:" + from, requestLimits));
    }

    /**
     * Spends one chat session of the API user {@code accountId}'s budget.
     *
     * @return a refusal when the budget is spent
     */
    public Optional<Throttled> session(String endpoint, long accountId) {
        return spend(endpoint, shared, new Subject(Reason.SESSIONS, Long.toString(accountId),
                "sessions:" + accountId, sessionLimits));
    }

    private Optional<Throttled> spend(String endpoint, ProxyManager<String> where, Subject s) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Optional<Throttled> remembered = remembered(s);
        if (remembered.isEmpty()) {
            ConsumptionProbe probe = store(() -> bucket(where, s).tryConsumeAndReturnRemaining(1));
            if (probe.isConsumed()) {
                return Optional.empty();
            }
            remembered = Optional.of(refused(s, probe.getNanosToWaitForRefill()));
        }
        listener.throttled(endpoint, s.reason());
        return remembered;
    }

    /** The locks in force, newest first. */
    public List<Lock> locks() {
        return locks.active(clock.instant()).stream().map(Throttle::lock).toList();
    }

    /**
     * Clears a lock: the subject's failed logins are forgotten at once on this node, and within
     * {@link #REMEMBER_REFUSAL} on the others.
     *
     * @return the lock cleared, or empty when there is no such lock in force
     */
    public Optional<Lock> unlock(long id) {
        Optional<LoginLockStore.Row> row = locks.find(id).filter(r -> r.lockedUntil().isAfter(clock.instant()));
        row.ifPresent(r -> {
            store(() -> {
                shared.removeProxy(r.bucket());
                return null;
            });
            refusedUntil.invalidate(r.bucket());
            locks.delete(r.id());
        });
        return row.map(Throttle::lock);
    }

    /** Forgets ended locks and, in the shared store, buckets that are full again (maintenance). */
    public void forgetEnded() {
        locks.deleteEnded(clock.instant().minus(Duration.ofDays(1)));
        if (shared instanceof io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner cleaner) {
            int removed;
            do {
                removed = store(() -> cleaner.removeExpired(1000));
            } while (removed == 1000);
        }
    }

    private static Lock lock(LoginLockStore.Row r) {
        return new Lock(r.id(), Reason.valueOf(r.kind()), r.subject(), r.lockedAt(), r.lockedUntil());
    }

    /** Something counted: what it is for the admin and the log, its bucket's key and limits. */
    private record Subject(Reason reason, String name, String key, BucketConfiguration limits) {
    }

    private static BucketProxy bucket(ProxyManager<String> where, Subject s) {
        return where.builder().build(s.key(), (Supplier<BucketConfiguration>) s::limits);
    }

    private void lockIfSpent(String endpoint, Subject s, VerboseResult<Long> afterFailure) {
        BucketState state = afterFailure.getState();
        if (state.getCurrentSize(LOCK_LIMIT) > 0) {
            return;
        }
        long waitNanos = state.calculateDelayNanosAfterWillBePossibleToConsume(1, afterFailure.getOperationTimeNanos(),
                false);
        Instant now = clock.instant();
        Instant until = now.plusNanos(waitNanos);
        try {
            locks.record(s.reason().name(), s.name(), s.key(), now, until);
        } catch (RuntimeException e) {
            // The bucket holds the lock; only its record for administrators is missing.
            LOG.log(System.Logger.Level.WARNING, "Could not record the lock of {0} {1}: {2}", s.reason(), s.name(),
                    e.getMessage());
        }
        LOG.log(System.Logger.Level.WARNING, "Too many failed logins: {0} {1} is locked until {2} ({3})",
                s.reason() == Reason.ACCOUNT ? "account" : "address", s.name(), until, endpoint);
        listener.locked(endpoint, s.reason(), s.name(), until);
    }

    private Optional<Throttled> remembered(Subject s) {
        Long until = refusedUntil.getIfPresent(s.key());
        long now = clock.millis();
        if (until == null || until <= now) {
            return Optional.empty();
        }
        return Optional.of(new Throttled(s.reason(), seconds(TimeUnit.MILLISECONDS.toNanos(until - now))));
    }

    private Throttled refused(Subject s, long wait) {
        refusedUntil.put(s.key(), clock.millis() + Math.min(TimeUnit.NANOSECONDS.toMillis(wait),
                REMEMBER_REFUSAL.toMillis()));
        return new Throttled(s.reason(), seconds(wait));
    }

    private Refused refuse(String endpoint, Throttled t) {
        listener.throttled(endpoint, t.reason());
        return new Refused(t);
    }

    /** Whole seconds, rounded up, at least one: what {@code Retry-After} says. */
    private static Duration seconds(long nanos) {
        return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /** The key of a client address: the address itself, or an IPv6 address's /64. */
    static String addressOf(String address) {
        Optional<IpAddress> ip = address == null ? Optional.empty() : IpAddress.parse(address);
        if (ip.isEmpty()) {
            return address == null ? "unknown" : address;
        }
        IpAddress a = ip.get();
        return a.isIpv4() ? a.toString() : new IpAddress(a.high(), 0).toString() + "/64";
    }

    /** A user name as a bucket key: fixed length, and no user name in the bucket table. */
    private static String digest(String username) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(username.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Runs a bucket operation; a store that cannot be reached is a 503, as for every other query. */
    private static <T> T store(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            if (Database.isUnreachable(e)) {
                throw new StoreUnavailableException("The throttle's store is unreachable", e);
            }
            throw e;
        }
    }
}
