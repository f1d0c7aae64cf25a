package io.parley.continuation;

import io.parley.config.Settings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.OptionalLong;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * How long Parley holds requests, and how many at once.
 *
 * @param pollHold       a getMessages poll with nothing to deliver is answered empty after this (at most 30 s,
 *                       below the 60 s idle timeout of common proxies)
 * @param admissionHold  a requestEngagement held for a place in a full queue is answered 408 after this
 * @param maxHeld        the node's cap on held requests; beyond it, 503 with Retry-After. By default what the
 *                       process's open-file limit allows (see {@link #defaultMaxHeld})
 * @param retryAfter     the Retry-After of a 503
 * @param deliveryThreads threads that read and write woken polls (parked polls hold none)
 */
public record HoldSettings(Duration pollHold, Duration admissionHold, int maxHeld, Duration retryAfter,
                           int deliveryThreads) {

    public static HoldSettings from(Settings s) {
        return new HoldSettings(
                s.seconds("poll.hold", 25, 1, 30),
                s.seconds("admission.hold", 20, 1, 120),
                s.integer("poll.maxHeld", defaultMaxHeld(), 1, 1_000_000),
                s.seconds("overload.retryAfter", 5, 1, 300),
                s.integer("delivery.threads", 4, 1, 64));
    }

    /** Open files kept for what is not a held request: the JVM's own, jars, logs, database connections, other calls. */
    static final int OTHER_FILES = 600;
    /** Heap a held request may take, with room to spare (measured: about 115 KiB; the rest of Parley needs heap too). */
    static final long HEAP_PER_HELD = 200 * 1024;
    /** Where the open-file limit cannot be read. */
    static final int FALLBACK_MAX_HELD = 15_000;

    /** The default cap of this process: its open-file limit and its heap. */
    public static int defaultMaxHeld() {
        return defaultMaxHeld(openFileLimit(), Runtime.getRuntime().maxMemory());
    }

    /**
     * As many held requests as the process may open connections, less those kept for other files, and
     * no more than the heap can carry: 19,400 where the limit is 20,000 and the heap is large enough.
     */
    static int defaultMaxHeld(OptionalLong openFiles, long maxHeapBytes) {
        long byFiles = openFiles.isPresent() ? openFiles.getAsLong() - OTHER_FILES : FALLBACK_MAX_HELD;
        long byHeap = maxHeapBytes / HEAP_PER_HELD;
        return (int) Math.max(100, Math.min(1_000_000, Math.min(byFiles, byHeap)));
    }

    /**
     * The process's open-file limit ({@code ulimit -n}), where the platform tells it. Read as a JMX
     * attribute, not through {@code com.sun.management}, which WildFly does not show its deployments.
     */
    static OptionalLong openFileLimit() {
        try {
            Object max = ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "MaxFileDescriptorCount");
            if (max instanceof Long limit && limit > 0) {
                return OptionalLong.of(limit);
            }
        } catch (JMException | RuntimeException e) {
            // Not on this platform: the fallback decides.
        }
        return OptionalLong.empty();
    }
}
