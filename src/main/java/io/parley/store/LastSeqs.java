package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last sequence number of many engagements and agent sessions at once: how a node notices,
 * without any notification, that another node has written to a channel one of its polls holds.
 */
public final class LastSeqs {

    /** Ids per query: the statement stays small, and the database plans it as an index lookup. */
    private static final int CHUNK = 500;

    private final Database db;

    public LastSeqs(Database db) {
        this.db = db;
    }

    /** {@code last_seq} by engagement id; ids that do not exist are left out. */
    public Map<Long, Long> engagements(Collection<Long> ids) {
        return query("SELECT id, last_seq FROM engagement WHERE id IN ", ids,
                (ps, i, id) -> ps.setLong(i, id), rs -> rs.getLong(1));
    }

    /** {@code last_seq} by agent session id; ids that do not exist are left out. */
    public Map<String, Long> agentSessions(Collection<String> ids) {
        return query("SELECT id, last_seq FROM agent_session WHERE id IN ", ids,
                (ps, i, id) -> ps.setString(i, id), rs -> rs.getString(1));
    }

    private interface Binder<K> {
        void bind(PreparedStatement ps, int index, K id) throws SQLException;
    }

    private interface KeyReader<K> {
        K read(ResultSet rs) throws SQLException;
    }

    private <K> Map<K, Long> query(String sql, Collection<K> ids, Binder<K> binder, KeyReader<K> key) {
        Map<K, Long> seqs = new HashMap<>();
        if (ids.isEmpty()) {
            return seqs;
        }
        List<K> all = new ArrayList<>(ids);
        db.read(c -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<K> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                readChunk(c, sql, chunk, binder, key, seqs);
            }
            return null;
        });
        return seqs;
    }

    private static <K> void readChunk(Connection c, String sql, List<K> chunk, Binder<K> binder, KeyReader<K> key,
                                      Map<K, Long> into) throws SQLException {
        String placeholders = "(" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql + placeholders)) {
            for (int i = 0; i < chunk.size(); i++) {
                binder.bind(ps, i + 1, chunk.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.put(key.read(rs), rs.getLong(2));
                }
            }
        }
    }
}
