package io.parley.compliance;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The messages one logger logs, at a level or above, from {@link #listen} until {@link #close}. */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new ArrayList<>();
    private final Handler handler;

    private LogCapture(String loggerName, Level least) {
        this.logger = Logger.getLogger(loggerName);
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= least.intValue()) {
                    synchronized (messages) {
                        messages.add(new SimpleFormatter().formatMessage(r));
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
    }

    static LogCapture listen(String loggerName, Level least) {
        return new LogCapture(loggerName, least);
    }

    /** The messages so far, oldest first. */
    List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
