package io.parley.continuation;

import java.util.concurrent.atomic.AtomicInteger;

/** The node's budget of held requests (long polls and admission holds together). */
public final class HeldSlots {

    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    public HeldSlots(int max) {
        this.max = max;
    }

    /** Takes a slot; false when the node holds as many requests as it may. */
    public boolean tryAcquire() {
        while (true) {
            int n = held.get();
            if (n >= max) {
                return false;
            }
            if (held.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        held.decrementAndGet();
    }

    /** How many requests are held right now. */
    public int held() {
        return held.get();
    }

    public int max() {
        return max;
    }
}
