package dev.cutover.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import dev.cutover.spi.Durations;

/**
 * DDL that cutover runs in or near the write window (ALTER DATABASE, ALTER SYSTEM, pg_reload_conf),
 * with bounded waits. A statement waiting for a lock behind a long transaction makes every later
 * session that needs the same lock queue behind it, so the window becomes an outage. Each statement
 * therefore runs with lock_timeout and statement_timeout set for it alone (session settings put back
 * afterwards: ALTER SYSTEM cannot run in the transaction SET LOCAL would need), and a lock wait
 * fails naming the session that holds the lock.
 */
public final class BoundedDdl {
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** Looks up who blocks a statement still waiting halfway through its lock_timeout; idle otherwise. */
    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ddl-lock-watcher");
        t.setDaemon(true);
        return t;
    });

    private final Duration lockTimeout;
    private final Duration statementTimeout;

    public BoundedDdl(Duration lockTimeout, Duration statementTimeout) {
        this.lockTimeout = lockTimeout;
        this.statementTimeout = statementTimeout;
    }

    public static BoundedDdl defaults() {
        return new BoundedDdl(DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT);
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** A statement that ran out of lock_timeout or statement_timeout; the message is the whole story. */
    public static final class WaitedTooLong extends SQLException {
        WaitedTooLong(String message, SQLException cause) {
            super(message, cause.getSQLState(), cause);
        }
    }

    /**
     * Runs {@code sql} on {@code c} (autocommit) with bounded waits. {@code server} opens a second,
     * short connection to name the blocker, only when the statement is still waiting halfway.
     */
    public void run(Connection c, ConnInfo server, String sql) throws SQLException {
        int pid = c.unwrap(PGConnection.class).getBackendPID();
        String[] previous = limit(c);
        ScheduledFuture<String> blockers = WATCHER.schedule(() -> blockers(server, pid),
                Math.max(100, lockTimeout.toMillis() / 2), TimeUnit.MILLISECONDS);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                throw new WaitedTooLong(sql + " waited " + Durations.format(lockTimeout) + " for a lock held by " + await(blockers)
                        + ": a long transaction blocks it; end it or retry", e);
            }
            if ("57014".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("statement timeout")) {
                throw new WaitedTooLong(sql + " did not finish within " + Durations.format(statementTimeout) + " (statement_timeout)", e);
            }
            throw e;
        } finally {
            blockers.cancel(true);
            restore(c, previous);
        }
    }

    /** Sets both timeouts on the session; returns what they were. */
    private String[] limit(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select current_setting('lock_timeout'), current_setting('statement_timeout'), "
                + "set_config('lock_timeout', ?, false), set_config('statement_timeout', ?, false)")) {
            ps.setString(1, lockTimeout.toMillis() + "ms");
            ps.setString(2, statementTimeout.toMillis() + "ms");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    private static void restore(Connection c, String[] previous) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select set_config('lock_timeout', ?, false), set_config('statement_timeout', ?, false)")) {
            ps.setString(1, previous[0]);
            ps.setString(2, previous[1]);
            ps.execute();
        }
    }

    private static String await(ScheduledFuture<String> blockers) {
        try {
            return blockers.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "a session that could not be named";
        }
    }

    /** The sessions {@code pid} waits for, as pid (user@database, state for Ns: query). */
    private static String blockers(ConnInfo server, int pid) {
        String q = "select pid, usename, datname, state, extract(epoch from now() - coalesce(xact_start, backend_start))::int as secs, query "
                + "from pg_stat_activity where pid = any(pg_blocking_pids(?)) order by xact_start";
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.jdbcProperties()); PreparedStatement ps = c.prepareStatement(q)) {
            ps.setInt(1, pid);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String query = String.valueOf(rs.getString("query")).replaceAll("\\s+", " ").strip();
                    if (query.length() > 100) query = query.substring(0, 99) + "…";
                    out.add("pid " + rs.getInt("pid") + " (" + rs.getString("usename") + "@" + rs.getString("datname") + ", "
                            + rs.getString("state") + " for " + rs.getInt("secs") + "s: " + query + ")");
                }
            }
            return out.isEmpty() ? "a session that had let go by the time it was looked up" : String.join(", ", out);
        } catch (SQLException e) {
            return "a session that could not be named (" + e.getMessage() + ")";
        }
    }
}
