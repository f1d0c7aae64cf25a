package io.parley.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The server's console log (JULI's one-line format, {@code HH:mm:ss LEVEL logger: message}): the
 * warnings and errors it logged after a mark, as evidence of server-side trouble during a phase.
 */
final class ServerLog {

    /** Warnings and errors after the mark: how many, and the first few lines. */
    record Problems(int warnings, int severe, int stackTraces, List<String> first) {

        @Override
        public String toString() {
            return warnings + severe == 0 ? "no WARNING or SEVERE lines"
                    : String.format("%d WARNING and %d SEVERE lines (%d stack-trace lines); the first: %s", warnings,
                            severe, stackTraces, first);
        }
    }

    private static final Pattern WARNING = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d WARNING ");
    private static final Pattern SEVERE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d SEVERE ");
    private static final Pattern STACK = Pattern.compile("^\\s+at |^Caused by: ");
    private static final int SAMPLES = 3;

    private final Path file;

    ServerLog(Path file) {
        this.file = file;
    }

    /** Where the log ends now; {@link #problemsSince} reads from here. */
    long mark() {
        try {
            return file == null || !Files.isRegularFile(file) ? 0 : Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The warnings and errors logged after {@code mark}; null without a log. */
    Problems problemsSince(long mark) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        int warnings = 0;
        int severe = 0;
        int stack = 0;
        List<String> first = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(mark);
            byte[] rest = new byte[(int) Math.max(0, f.length() - mark)];
            f.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                boolean w = WARNING.matcher(line).find();
                boolean s = SEVERE.matcher(line).find();
                warnings += w ? 1 : 0;
                severe += s ? 1 : 0;
                stack += STACK.matcher(line).find() ? 1 : 0;
                if ((w || s) && first.size() < SAMPLES) {
                    first.add(line.length() <= 300 ? line : line.substring(0, 300) + "...");
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new Problems(warnings, severe, stack, first);
    }
}
