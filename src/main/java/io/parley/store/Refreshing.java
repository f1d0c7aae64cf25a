package io.parley.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A value read from the database and kept for a while: read again once it is older than the
 * refresh interval, or after {@link #invalidate()}. One caller at a time reloads it; meanwhile
 * the others keep using the value they had, so a reload never holds up requests. (With a refresh
 * interval of zero, nothing is cached: every caller gets a value read after its call began.)
 *
 * <p>A failed load is remembered for {@link #FAILURE_MEMORY}: callers that queued up behind it,
 * and those that come meanwhile, fail at once with the same error instead of each waiting for
 * an unreachable database in turn (a database outage must not pile up request threads).
 *
 * @param <T> the value, immutable
 */
public final class Refreshing<T> {

    static final Duration FAILURE_MEMORY = Duration.ofSeconds(1);

    private record Loaded<T>(T value, Instant at) {
    }

    private record Failed(RuntimeException error, Instant at) {
    }

    private final Supplier<T> loader;
    private final Clock clock;
    private final Duration refresh;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Loaded<T> loaded;
    private Failed failed;

    public Refreshing(Supplier<T> loader, Clock clock, Duration refresh) {
        this.loader = loader;
        this.clock = clock;
        this.refresh = refresh;
    }

    public T get() {
        Loaded<T> l = loaded;
        if (fresh(l)) {
            return l.value();
        }
        if (l != null && !refresh.isZero()) {
            // Stale: one caller reloads, the rest go on with what they have.
            if (!reloading.tryLock()) {
                return l.value();
            }
        } else {
            reloading.lock();
        }
        try {
            l = loaded;
            if (fresh(l)) {
                return l.value();
            }
            if (failed != null && failed.at().plus(FAILURE_MEMORY).isAfter(clock.instant())) {
                throw failed.error();
            }
            try {
                l = new Loaded<>(loader.get(), clock.instant());
            } catch (RuntimeException e) {
                failed = new Failed(e, clock.instant());
                throw e;
            }
            failed = null;
            loaded = l;
            return l.value();
        } finally {
            reloading.unlock();
        }
    }

    /** The next {@link #get()} reads the value again, and waits for it. */
    public void invalidate() {
        loaded = null;
    }

    private boolean fresh(Loaded<T> l) {
        return l != null && l.at().plus(refresh).isAfter(clock.instant());
    }
}
