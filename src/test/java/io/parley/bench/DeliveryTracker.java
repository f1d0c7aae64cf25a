package io.parley.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Follows every benchmark message from the moment its post was written to the moment the poll
 * answer carrying it was read, matched by the message number in its body ({@code bench-N ...}).
 * Messages scheduled during the warm-up are followed for loss but not timed. Loop thread only.
 */
final class DeliveryTracker implements PostSender.Tracker {

    static final String PREFIX = "bench-";
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final long[] scheduledNanos;
    private final long[] sentNanos;
    private final int[] postStatus;
    private final boolean[] received;
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
        this.scheduledNanos = new long[capacity];
        this.sentNanos = new long[capacity];
        this.postStatus = new int[capacity];
        this.received = new boolean[capacity];
    }

    /** Messages scheduled from {@code nanos} on are timed; earlier ones are the warm-up. */
    void measureFrom(long nanos) {
        this.measureFromNanos = nanos;
    }

    static String body(int message) {
        return PREFIX + message + " hello from the stand-in agent";
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
        receivedCount++;
        if (measured(message)) {
            delivery.recordValue(micros(at - sentNanos[message]));
            deliveryFromSchedule.recordValue(micros(at - scheduledNanos[message]));
        }
    }

    private boolean measured(int message) {
        return scheduledNanos[message] - measureFromNanos >= 0;
    }

    private static int number(String body) {
        if (!body.startsWith(PREFIX)) {
            return -1;
        }
        int end = body.indexOf(' ', PREFIX.length());
        try {
            return Integer.parseInt(body.substring(PREFIX.length(), end < 0 ? body.length() : end));
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
