package io.parley.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value read from the database and kept for a while: read again once it is older than the
 * refresh interval, or after {@link #invalidate()}. One caller at a time reloads it.
 *
 * @param <T> the value, immutable
 */
public final class Refreshing<T> {

    private record Loaded<T>(T value, Instant at) {
    }

    private final Supplier<T> loader;
    private final Clock clock;
    private final Duration refresh;
    private volatile Loaded<T> loaded;

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
            if (!fresh(l)) {
                l = new Loaded<>(loader.get(), clock.instant());
                loaded = l;
            }
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
