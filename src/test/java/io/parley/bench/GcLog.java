package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the stop-the-world pauses out of a JVM's {@code -Xlog:gc:file=...} log, for a window of
 * the JVM's uptime: a pause in the server or in the load client shows up in the latency tail.
 */
final class GcLog {

    /** The pauses in a window: how many, their sum and the longest, in milliseconds. */
    record Pauses(int count, double totalMillis, double maxMillis) {

        @Override
        public String toString() {
            return count == 0 ? "none" : String.format("%d pauses, %.0f ms in all, longest %.0f ms", count, totalMillis,
                    maxMillis);
        }
    }

    private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].* Pause .* (\\d+\\.\\d+)ms$");

    private GcLog() {
    }

    /** Pauses that began between {@code fromSeconds} and {@code toSeconds} of uptime; null when there is no log. */
    static Pauses pauses(Path log, double fromSeconds, double toSeconds) {
        if (log == null || !Files.isRegularFile(log)) {
            return null;
        }
        int count = 0;
        double total = 0;
        double max = 0;
        try {
            for (String line : Files.readAllLines(log)) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    double at = Double.parseDouble(m.group(1));
                    double ms = Double.parseDouble(m.group(2));
                    if (at >= fromSeconds && at <= toSeconds) {
                        count++;
                        total += ms;
                        max = Math.max(max, ms);
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new Pauses(count, total, max);
    }
}
