package io.parley.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Follows every round-trip message: the consumer's post written, the bot's poll answer carrying it
 * read, the bot's reply written, and the consumer's poll answer carrying the reply read. Messages
 * and replies are matched by the number in their bodies ({@code rt-N ...}); all moments are
 * {@link System#nanoTime()} on the load client's one loop thread. Messages scheduled during the
 * warm-up are followed for loss but not timed. Loop thread only.
 */
final class RoundTripTracker implements PostSender.Tracker {

    static final String PREFIX = "rt-";
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final int conversations;
    private final long[] scheduledNanos;
    private final long[] sentNanos;
    private final int[] postStatus;
    private final long[] atBotNanos;
    private final long[] replySentNanos;
    private final int[] replyStatus;
    private final boolean[] delivered;
    private long measureFromNanos = Long.MAX_VALUE;

    /** Consumer post written → the consumer's poll answer carrying the bot's reply read: the round trip. */
    final Histogram roundTrip = histogram();
    /** Scheduled send time → reply read: the round trip plus any delay before the post could be written. */
    final Histogram roundTripFromSchedule = histogram();
    /** Consumer post written → the bot's poll answer carrying it read. */
    final Histogram toBot = histogram();
    /** The bot's poll answer read → its reply written (waits for a free reply connection). */
    final Histogram botTurnaround = histogram();
    /** Reply written → the consumer's poll answer carrying it read. */
    final Histogram toConsumer = histogram();
    /** Consumer post written → answered. */
    final Histogram consumerPost = histogram();
    /** Bot reply written → answered. */
    final Histogram botPost = histogram();
    /** Scheduled send time → consumer post written: how far the open-loop sender fell behind. */
    final Histogram sendLag = histogram();

    private int sent;
    private int sentMeasured;
    private int postsFailed;
    private int atBot;
    private int botDuplicates;
    private int repliesSent;
    private int repliesFailed;
    private int deliveredCount;
    private int duplicates;
    private int misdelivered;
    private int strangers;

    /**
     * @param conversations message {@code i} belongs to conversation {@code i % conversations}
     */
    RoundTripTracker(int capacity, int conversations) {
        this.conversations = conversations;
        this.scheduledNanos = new long[capacity];
        this.sentNanos = new long[capacity];
        this.postStatus = new int[capacity];
        this.atBotNanos = new long[capacity];
        this.replySentNanos = new long[capacity];
        this.replyStatus = new int[capacity];
        this.delivered = new boolean[capacity];
    }

    private static Histogram histogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    /** Messages scheduled from {@code nanos} on are timed; earlier ones are the warm-up. */
    void measureFrom(long nanos) {
        this.measureFromNanos = nanos;
    }

    static String body(int message) {
        return PREFIX + message + " from the consumer";
    }

    static String reply(int message) {
        return PREFIX + message + " reply from the bot";
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
            consumerPost.recordValue(micros(at - sentNanos[message]));
        }
    }

    @Override
    public void postLost(int message) {
        postStatus[message] = -1;
        postsFailed++;
    }

    /**
     * A bot's poll answer carried a consumer message.
     *
     * @return the message's number, for the reply; -1 when it is not one of ours or was seen before (no reply)
     */
    int atBot(String body, long at) {
        int message = number(body);
        if (message < 0) {
            strangers++;
            return -1;
        }
        if (atBotNanos[message] != 0) {
            botDuplicates++;
            return -1;
        }
        atBotNanos[message] = at;
        atBot++;
        if (measured(message)) {
            toBot.recordValue(micros(at - sentNanos[message]));
        }
        return message;
    }

    void replySent(int message, long at) {
        replySentNanos[message] = at;
        repliesSent++;
        if (measured(message)) {
            botTurnaround.recordValue(micros(at - atBotNanos[message]));
        }
    }

    void replyAnswered(int message, int status, long at) {
        replyStatus[message] = status;
        if (status != 200) {
            repliesFailed++;
        } else if (measured(message)) {
            botPost.recordValue(micros(at - replySentNanos[message]));
        }
    }

    void replyLost(int message) {
        replyStatus[message] = -1;
        repliesFailed++;
    }

    /** A consumer's poll answer carried a bot's message; {@code conversation} is the consumer's index. */
    void atConsumer(int conversation, String body, long at) {
        int message = number(body);
        if (message < 0) {
            strangers++;
            return;
        }
        if (message % conversations != conversation) {
            misdelivered++;
            return;
        }
        if (delivered[message]) {
            duplicates++;
            return;
        }
        delivered[message] = true;
        deliveredCount++;
        if (measured(message)) {
            roundTrip.recordValue(micros(at - sentNanos[message]));
            roundTripFromSchedule.recordValue(micros(at - scheduledNanos[message]));
            toConsumer.recordValue(micros(at - replySentNanos[message]));
        }
    }

    private boolean measured(int message) {
        return scheduledNanos[message] != 0 && scheduledNanos[message] - measureFromNanos >= 0;
    }

    private int number(String body) {
        if (body == null || !body.startsWith(PREFIX)) {
            return -1;
        }
        int end = body.indexOf(' ', PREFIX.length());
        try {
            int n = Integer.parseInt(body.substring(PREFIX.length(), end < 0 ? body.length() : end));
            return n >= 0 && n < sentNanos.length && sentNanos[n] != 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long micros(long nanos) {
        return Math.min(MAX_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /** Where the messages whose consumer post was answered 200 but whose reply never reached the consumer got lost. */
    record Losses(int neverAtBot, int replyNotSent, int replyFailed, int replyNotDelivered) {

        int total() {
            return neverAtBot + replyNotSent + replyFailed + replyNotDelivered;
        }
    }

    Losses losses() {
        int neverAtBot = 0;
        int notSent = 0;
        int failed = 0;
        int notDelivered = 0;
        for (int i = 0; i < sent; i++) {
            if (postStatus[i] != 200 || delivered[i]) {
                continue;
            }
            if (atBotNanos[i] == 0) {
                neverAtBot++;
            } else if (replySentNanos[i] == 0) {
                notSent++;
            } else if (replyStatus[i] != 200) {
                failed++;
            } else {
                notDelivered++;
            }
        }
        return new Losses(neverAtBot, notSent, failed, notDelivered);
    }

    /** Messages whose post was answered 200 and whose reply has not reached the consumer yet. */
    int missing() {
        return losses().total();
    }

    int sent() {
        return sent;
    }

    int sentMeasured() {
        return sentMeasured;
    }

    int postsFailed() {
        return postsFailed;
    }

    int atBot() {
        return atBot;
    }

    int botDuplicates() {
        return botDuplicates;
    }

    int repliesSent() {
        return repliesSent;
    }

    int repliesFailed() {
        return repliesFailed;
    }

    int delivered() {
        return deliveredCount;
    }

    int duplicates() {
        return duplicates;
    }

    int misdelivered() {
        return misdelivered;
    }

    int strangers() {
        return strangers;
    }
}
