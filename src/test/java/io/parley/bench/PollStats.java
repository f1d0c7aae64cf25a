package io.parley.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pollers saw, written on the loop thread and read by the benchmark's main thread.
 * {@link #outstanding} is the client's view of held polls: requests written and not yet answered.
 */
final class PollStats {

    private static final int SAMPLES = 5;

    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answeredEmpty = new AtomicLong();
    final AtomicLong answeredWithMessages = new AtomicLong();
    final AtomicLong refused503 = new AtomicLong();
    final AtomicLong otherStatus = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong connectionsBroken = new AtomicLong();
    final AtomicLong closedByServer = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> errorSamples = new CopyOnWriteArrayList<>();

    void status(int status) {
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    /** Keeps the first few distinct error descriptions as evidence for the report. */
    void sample(String error) {
        if (errorSamples.size() < SAMPLES && !errorSamples.contains(error)) {
            errorSamples.add(error);
        }
    }

    Map<Integer, Long> statuses() {
        Map<Integer, Long> m = new TreeMap<>();
        statuses.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    /** Polls refused or failed: 503s, other error statuses, failed connects and broken connections. */
    long failures() {
        return refused503.get() + otherStatus.get() + connectFailures.get() + connectionsBroken.get();
    }
}
