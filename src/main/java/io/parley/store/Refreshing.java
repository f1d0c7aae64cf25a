package io.parley.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value read from the database and kept for a while: read again once it is older than the
 * refresh interval, or after {@link #invalidate()}. One caller at a time reloads it.
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
        synchronized (this) {
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
        }
    }

    /** The next {@link #get()} reads the value again. */
    public void invalidate() {
        loaded = null;
    }

    private boolean fresh(Loaded<T> l) {
        return l != null && l.at().plus(refresh).isAfter(clock.instant());
    }
}
