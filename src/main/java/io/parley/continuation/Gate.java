package io.parley.continuation;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The single way out of a held request. Delivery, timeout, supersede, disconnect and shutdown
 * all race through {@link #close()}; only the caller that closes it may answer.
 */
final class Gate {

    private final AtomicBoolean closed = new AtomicBoolean();

    /** True for exactly one caller: the one that gets to answer. */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    boolean isOpen() {
        return !closed.get();
    }
}
