package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.SQLRecoverableException;
import java.sql.Statement;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL's LISTEN/NOTIFY on one channel: how nodes that share a database wake each other.
 * A notification is only a hint; it may be lost (say, while a listener reconnects), so nothing
 * may depend on it but speed.
 */
public final class Notifications {

    /** The longest payload PostgreSQL accepts is 8000 bytes; payloads here are ASCII ids. */
    public static final int MAX_PAYLOAD = 7900;

    private static final String CHANNEL = "parley";
    /** How often an idle listening connection is checked: a silently dead one must not look quiet forever. */
    private static final long CHECK_MILLIS = 10_000;
    private static final int WAIT_MILLIS = 500;

    private final Database db;

    public Notifications(Database db) {
        this.db = db;
    }

    /** Sends each payload as one notification, on one pooled connection. */
    public void publish(List<String> payloads) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                for (String p : payloads) {
                    ps.setString(1, p);
                    ps.execute();
                }
            }
            return null;
        });
    }

    /**
     * Listens on one pooled connection until {@code running} turns false, handing every payload
     * to {@code onPayload}; {@code onListening} runs once the LISTEN is in place.
     *
     * @throws StoreUnavailableException when the connection breaks; the caller listens again
     */
    public void listen(BooleanSupplier running, Runnable onListening, Consumer<String> onPayload) {
        db.read(c -> {
            PGConnection pg = c.unwrap(PGConnection.class);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                onListening.run();
                long lastCheck = System.nanoTime();
                while (running.getAsBoolean()) {
                    PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
                    if (received != null) {
                        for (PGNotification n : received) {
                            onPayload.accept(n.getParameter());
                        }
                    }
                    if (System.nanoTime() - lastCheck > CHECK_MILLIS * 1_000_000) {
                        if (!c.isValid(5)) {
                            throw new SQLRecoverableException("The listening connection stopped answering");
                        }
                        lastCheck = System.nanoTime();
                    }
                }
                s.execute("UNLISTEN " + CHANNEL);
            }
            return null;
        });
    }
}
