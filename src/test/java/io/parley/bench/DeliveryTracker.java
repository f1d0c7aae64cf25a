package io.parley.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Follows every benchmark message from the moment its post was written to the moment the poll
 * answer carrying it was read, matched by the message number in its body ({@code bench-N ...}).
 * Messages scheduled during the warm-up are followed for loss but not timed. Loop thread only.
 *
 * <p>Phase 4 runs several steps, each with a tracker of its own: each numbers its messages from 0
 * under a prefix of its own ({@code s2-N ...}), so a poll answer's body tells which step it belongs to.
 */
final class DeliveryTracker implements PostSender.Tracker {

    static final String PREFIX = "bench-";
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final String prefix;
    private final long[] scheduledNanos;
    private final long[] sentNanos;
    private final int[] postStatus;
    private final long[] postAnsweredNanos;
    private final boolean[] received;
    private final long[] receivedNanos;
    private long measureFromNanos = Long.MAX_VALUE;
    /** Post written → poll answer read, in microseconds. */
    final Histogram delivery = new Histogram(MAX_MICROS, 3);
    /** Scheduled send time → poll answer read: the delivery plus any delay before the post could be written. */
    final Histogram deliveryFromSchedule = new Histogram(MAX_MICROS, 3);
    /** Scheduled send time → post written: how far the open-loop sender fell behind its schedule. */
    final Histogram sendLag = new Histogram(MAX_MICROS, 3);
    /** Post written → post answered (the stand-in agent's round trip). */
    final Histogram postRoundTrip = new Histogram(MAX_MICROS, 3);
    private int sent;
    private int sentMeasured;
    private int receivedCount;
    private int duplicates;
    private int strangers;
    private int postsFailed;

    DeliveryTracker(int capacity) {
        this(capacity, PREFIX);
    }

    /** A tracker whose messages' bodies start with {@code prefix} followed by the message number. */
    DeliveryTracker(int capacity, String prefix) {
        this.prefix = prefix;
        this.scheduledNanos = new long[capacity];
        this.sentNanos = new long[capacity];
        this.postStatus = new int[capacity];
        this.postAnsweredNanos = new long[capacity];
        this.received = new boolean[capacity];
        this.receivedNanos = new long[capacity];
    }

    /** Messages scheduled from {@code nanos} on are timed; earlier ones are the warm-up. */
    void measureFrom(long nanos) {
        this.measureFromNanos = nanos;
    }

    static String body(int message) {
        return PREFIX + message + " hello from the stand-in agent";
    }

    /** Message {@code message}'s body under this tracker's prefix. */
    String bodyOf(int message) {
        return prefix + message + " hello from the stand-in agent";
    }

    /** Whether {@code body} is one of this tracker's messages (by its prefix). */
    boolean owns(String body) {
        return body.startsWith(prefix);
    }

    @Override
    public void sent(int message, long scheduled, long at) {
        scheduledNanos[message] = scheduled;
        sentNanos[message] = at;
        sent++;
        if (measured(message)) {
            sentMeasured++;
            sendLag.recordValue(micros(at - scheduled));
        }
    }

    @Override
    public void posted(int message, int status, long at) {
        postStatus[message] = status;
        postAnsweredNanos[message] = at;
        if (status != 200) {
            postsFailed++;
        } else if (measured(message)) {
            postRoundTrip.recordValue(micros(at - sentNanos[message]));
        }
    }

    @Override
    public void postLost(int message) {
        postStatus[message] = -1;
        postsFailed++;
    }

    /** A chat message arrived in a poll answer. */
    void received(String body, long at) {
        int message = number(body);
        if (message < 0 || message >= sentNanos.length || sentNanos[message] == 0) {
            strangers++;
            return;
        }
        if (received[message]) {
            duplicates++;
            return;
        }
        received[message] = true;
        receivedNanos[message] = at;
        receivedCount++;
        if (measured(message)) {
            delivery.recordValue(micros(at - sentNanos[message]));
            deliveryFromSchedule.recordValue(micros(at - scheduledNanos[message]));
        }
    }

    private boolean measured(int message) {
        return scheduledNanos[message] - measureFromNanos >= 0;
    }

    private int number(String body) {
        if (!body.startsWith(prefix)) {
            return -1;
        }
        int end = body.indexOf(' ', prefix.length());
        try {
            return Integer.parseInt(body.substring(prefix.length(), end < 0 ? body.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long micros(long nanos) {
        return Math.min(MAX_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    int sent() {
        return sent;
    }

    int sentMeasured() {
        return sentMeasured;
    }

    int received() {
        return receivedCount;
    }

    /** Posts the server accepted (200) whose message no poll answer has carried. */
    int missing() {
        int n = 0;
        for (int i = 0; i < sent; i++) {
            if (postStatus[i] == 200 && !received[i]) {
                n++;
            }
        }
        return n;
    }

    /** Timed messages (scheduled after the warm-up) whose post was written at or before {@code nanos}. */
    int writtenMeasuredBy(long nanos) {
        int n = 0;
        for (int i = 0; i < sent; i++) {
            if (measured(i) && sentNanos[i] - nanos <= 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Messages whose poll answer was read from {@code fromNanos} (inclusive) to {@code toNanos}
     * (exclusive), timed or not: the deliveries a CPU reading over that span paid for.
     */
    int receivedBetween(long fromNanos, long toNanos) {
        int n = 0;
        for (int i = 0; i < sent; i++) {
            if (received[i] && receivedNanos[i] - fromNanos >= 0 && receivedNanos[i] - toNanos < 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * How long the oldest message written and not yet received has been on its way at {@code now}
     * (posts still unanswered included, failed ones not), in nanoseconds; 0 when none is.
     */
    long oldestUndeliveredNanos(long now) {
        long oldest = 0;
        for (int i = 0; i < sent; i++) {
            if (!received[i] && postStatus[i] != -1 && (postStatus[i] == 0 || postStatus[i] == 200)) {
                oldest = Math.max(oldest, now - sentNanos[i]);
            }
        }
        return oldest;
    }

    /**
     * Every message as a CSV line: when it was due (seconds after {@code zeroNanos}), its sender lag,
     * post round trip and delivery in milliseconds (empty when it has none), and its post's status.
     */
    String csv(long zeroNanos) {
        StringBuilder b = new StringBuilder("message,due_s,lag_ms,post_ms,delivery_ms,status\n");
        for (int i = 0; i < sent; i++) {
            b.append(i).append(',').append(String.format("%.3f", (scheduledNanos[i] - zeroNanos) / 1e9)).append(',')
                    .append(String.format("%.1f", (sentNanos[i] - scheduledNanos[i]) / 1e6)).append(',')
                    .append(postStatus[i] == 200 ? String.format("%.1f", (postAnsweredNanos[i] - sentNanos[i]) / 1e6) : "")
                    .append(',').append(received[i] ? String.format("%.1f", (receivedNanos[i] - sentNanos[i]) / 1e6) : "")
                    .append(',').append(postStatus[i]).append('\n');
        }
        return b.toString();
    }

    int duplicates() {
        return duplicates;
    }

    int strangers() {
        return strangers;
    }

    int postsFailed() {
        return postsFailed;
    }

}
