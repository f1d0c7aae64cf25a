package io.parley.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server under test logged, read where its container keeps its log: on a standalone
 * container the container's own log file ({@code -Dparley.it.serverLog}: Tomcat JULI's
 * {@code catalina.log}, WildFly's {@code server.log}), on the embedded Tomcat this JVM's
 * {@code java.util.logging}. A watch sees the messages logged after it began, one entry per record
 * (the message's first line, without the container's date, level, thread and logger prefix).
 */
public final class ServerLog implements AutoCloseable {

    /** Tomcat's OneLineFormatter: {@code 26-Nov-2026 12:00:00.000 INFO [thread] source.method message}. */
    private static final Pattern TOMCAT_LINE = Pattern.compile("^\\S+ \\S+ [A-Z]+ \\[[^\\]]*\\] \\S+ (.*)$");
    /** WildFly's file pattern: {@code 2026-11-26 12:00:00,000 INFO  [category] (thread) message}. */
    private static final Pattern WILDFLY_LINE = Pattern.compile("^\\S+ \\S+ +[A-Z]+ +\\[[^\\]]*\\] \\(.*?\\) (.*)$");

    private final Path file;
    private final Pattern line;
    private final long start;
    private final List<String> captured = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            captured.add(new SimpleFormatter().formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private ServerLog(Path file, Pattern line, long start) {
        this.file = file;
        this.line = line;
        this.start = start;
    }

    /** The container log file of this run, or null on the embedded Tomcat. */
    public static Path containerLogFile() {
        String f = System.getProperty("parley.it.serverLog");
        return f == null || f.isBlank() ? null : Path.of(f);
    }

    /** Starts watching the log from now on. */
    public static ServerLog watch() {
        Path file = containerLogFile();
        if (file != null) {
            Pattern line = System.getProperty("arquillian.launch", "").startsWith("wildfly") ? WILDFLY_LINE : TOMCAT_LINE;
            try {
                return new ServerLog(file, line, Files.exists(file) ? Files.size(file) : 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ServerLog log = new ServerLog(null, null, 0);
        Logger.getLogger("").addHandler(log.handler);
        return log;
    }

    /** Whether this run reads a standalone container's own log file. */
    public boolean readsContainerLog() {
        return file != null;
    }

    /** The messages logged since the watch began, oldest first. */
    public List<String> messages() {
        if (file == null) {
            synchronized (captured) {
                return List.copyOf(captured);
            }
        }
        List<String> out = new ArrayList<>();
        for (String l : newText().split("\\R")) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The raw text the container appended to its log file since the watch began (empty when embedded). */
    public String newText() {
        if (file == null || !Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= start) {
                return "";
            }
            byte[] bytes = new byte[(int) (length - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages that contain {@code text}, waiting up to five seconds for the first to appear. */
    public List<String> await(String text) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<String> found = messages().stream().filter(m -> m.contains(text)).toList();
            if (!found.isEmpty() || System.nanoTime() > deadline) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
