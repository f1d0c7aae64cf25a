package io.parley.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Java Flight Recorder recording of one server JVM ({@code run.sh --jfr}) over a phase's timed
 * part. It is started with {@code jcmd} on a thread of its own at a given moment, so that the
 * phase's own sequence and timing stay as they are without {@code --jfr}. Without a file it does
 * nothing. {@link JfrHotFrames} reads the file.
 */
final class FlightRecording {

    /**
     * How long before the timed part the recording starts: attaching {@code jcmd} takes the best part
     * of a CPU second on this machine, which should fall into the warm-up, not into the timed part.
     */
    static final long LEAD_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ServerProbe probe;
    private final Path file;
    private final Thread starter;

    private FlightRecording(ServerProbe probe, Path file, long startNanos) {
        this.probe = probe;
        this.file = file;
        if (file == null) {
            this.starter = null;
            return;
        }
        this.starter = new Thread(() -> {
            try {
                long wait = startNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                probe.startRecording(file);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-jfr-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Starts recording into {@code file} (null: no recording) at {@link #LEAD_NANOS} before {@code timedFromNanos}. */
    static FlightRecording before(ServerProbe probe, Path file, long timedFromNanos) {
        return new FlightRecording(probe, file, timedFromNanos - LEAD_NANOS);
    }

    /** Starts recording into {@code file} (null: no recording) now. */
    static FlightRecording now(ServerProbe probe, Path file) {
        return new FlightRecording(probe, file, System.nanoTime());
    }

    /** Stops the recording and writes its file (after it has started, if it has not yet). */
    void stop() throws InterruptedException {
        if (file == null) {
            return;
        }
        starter.join();
        probe.stopRecording(file);
    }
}
