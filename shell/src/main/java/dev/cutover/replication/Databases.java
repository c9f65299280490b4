package dev.cutover.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PSQLException;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.pg.Rows;
import dev.cutover.pg.Server;

/**
 * Open connections to every database of the servers a logical link spans. Publications and
 * subscriptions live per database, and inside the write window every login counts, so each
 * database is connected once and kept. Reads run directly; writes go through {@code ctx.mutate}.
 * Connections are handed out under a lock; each is used by one thread at a time.
 */
final class Databases implements AutoCloseable {
    private CommandContext ctx;
    private final Map<String, Connection> open = new HashMap<>();
    private final Map<String, Long> lastUsed = new HashMap<>();

    Databases(CommandContext ctx) {
        this.ctx = ctx;
    }

    /** Kept from an earlier step ({@code promote ..., prepare: true}): its writes now belong to {@code step}. */
    synchronized Databases use(CommandContext step) {
        this.ctx = step;
        return this;
    }

    /** Rows of a query in one database. */
    List<Map<String, Object>> read(Server server, String db, String sql, Object... params) {
        try {
            return run(connection(server, db), sql, params);
        } catch (SQLException e) {
            throw new CommandException(server.getName() + " (" + db + "): " + describe(e));
        }
    }

    Object value(Server server, String db, String sql, Object... params) {
        List<Map<String, Object>> rows = read(server, db, sql, params);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    /** A change: listed in a dry run, run (and recorded as an action) otherwise. Returns the rows, or none in a dry run. */
    List<Map<String, Object>> write(Server server, String db, String sql, Object... params) {
        try {
            List<Map<String, Object>> rows = ctx.mutate(server.getName() + " (" + db + "): " + sql, () -> run(connection(server, db), sql, params));
            return rows == null ? List.of() : rows;
        } catch (SQLException e) {
            throw new CommandException(server.getName() + " (" + db + "): " + describe(e) + " — while running: " + sql);
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(server.getName() + " (" + db + "): " + e.getMessage(), e);
        }
    }

    /**
     * One change made of many statements ({@code body} runs them with {@link #read}), recorded as one
     * action: listed once in a dry run (then null), where a statement per object would flood the result.
     */
    <T> T change(Server server, String db, String description, java.util.concurrent.Callable<T> body) {
        try {
            return ctx.mutate(server.getName() + " (" + db + "): " + description, body);
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(server.getName() + " (" + db + "): " + e.getMessage() + " — while: " + description, e);
        }
    }

    /** Synchronized: the cut reads both servers at once, each on its own connection. */
    private synchronized Connection connection(Server server, String db) throws SQLException {
        String key = server.getName() + "\u0000" + server.getPort() + "\u0000" + db;
        Connection c = open.get(key);
        long now = System.nanoTime();
        Long used = lastUsed.put(key, now);
        // Used within the last second: trusted. Idle longer (kept from a step before the window): checked, one round trip.
        if (c != null && !c.isClosed() && (used != null && now - used < 1_000_000_000L || c.isValid(2))) return c;
        if (c != null) closeQuietly(c);
        c = server.openConnection(db);
        c.setAutoCommit(true);
        open.put(key, c);
        return c;
    }

    /** Forgets a server's connections (it was restarted). */
    synchronized void forget(Server server) {
        String prefix = server.getName() + "\u0000" + server.getPort() + "\u0000";
        open.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(prefix)) return false;
            closeQuietly(e.getValue());
            return true;
        });
    }

    private static List<Map<String, Object>> run(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof String[] a) ps.setArray(i + 1, c.createArrayOf("text", a));
                else if (p instanceof Long[] a) ps.setArray(i + 1, c.createArrayOf("bigint", a));
                else if (p instanceof Boolean[] a) ps.setArray(i + 1, c.createArrayOf("boolean", a));
                else ps.setObject(i + 1, p);
            }
            if (!ps.execute()) return List.of();
            try (ResultSet rs = ps.getResultSet()) {
                return Rows.of(rs);
            }
        }
    }


    static String describe(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            var m = p.getServerErrorMessage();
            return m.getSeverity() + ": " + m.getMessage() + (m.getHint() != null ? "; hint: " + m.getHint() : "");
        }
        String msg = String.valueOf(e.getMessage());
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already gone
        }
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Databases::closeQuietly);
        open.clear();
    }
}
