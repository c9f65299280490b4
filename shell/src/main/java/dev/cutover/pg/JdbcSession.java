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
import java.util.Map;
import java.util.function.Supplier;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;

/**
 * The real {@link SqlSession}: one JDBC connection kept across steps and re-opened after a restart
 * (checked before a statement is sent, never by re-running one), short-lived connections for other
 * databases, and the dry-run rule: only provable reads are sent, on read-only sessions.
 */
final class JdbcSession implements SqlSession {
    private final String name;
    private final ConnInfo conn;
    private final Supplier<CommandContext> live;
    private Connection jdbc;
    private long lastUsed;

    JdbcSession(String name, ConnInfo conn, Supplier<CommandContext> live) {
        this.name = name;
        this.conn = conn;
        this.live = live;
    }

    /** Runs SQL (several statements allowed without params); bind parameters as {@code ?}, never concatenation. */
    @Override
    public SqlResult sql(String text, Object... params) {
        CommandContext ctx = live.get();
        long start = System.nanoTime();
        String shown = ConnectionErrors.firstLine(text);
        if (ctx.dryRun()) {
            // A dry run sends only what provably reads; the rest is listed, not run.
            java.util.Optional<String> change = listedInDryRun(ctx, name, text);
            if (change.isPresent()) return new SqlResult(name, List.of(), "not run (dry run: " + change.get() + ")", Duration.ZERO, shown);
        }
        ctx.action(name + ": " + shown);
        try {
            Connection c = connection();
            // Work done after a cancel (clean-up) must not be cancelled by it.
            boolean cancellable = !ctx.cancellation().isCancelled();
            if (params.length == 0) {
                try (Statement st = c.createStatement(); AutoCloseable hook = cancellable ? ctx.cancellation().onCancel(() -> cancel(st)) : () -> { }) {
                    boolean isQuery = st.execute(text);
                    return collect(st, isQuery, start, shown);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(text); AutoCloseable hook = cancellable ? ctx.cancellation().onCancel(() -> cancel(ps)) : () -> { }) {
                for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
                boolean isQuery = ps.execute();
                return collect(ps, isQuery, start, shown);
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) close();
            if (ctx.cancellation().isCancelled() && "57014".equals(e.getSQLState())) throw new CommandException(name + ": statement cancelled");
            throw new CommandException(name + ": " + ConnectionErrors.describe(conn, e));
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * In a dry run, SQL that may change something is listed as "would run" instead of sent; returns
     * why it was not sent, or empty when it provably only reads (and may run).
     */
    private static java.util.Optional<String> listedInDryRun(CommandContext ctx, String where, String text) {
        java.util.Optional<String> change = dev.cutover.pg.ReadOnlySql.whyNotReadOnly(text);
        if (change.isEmpty()) return change;
        try {
            ctx.mutate(where + ": " + text.strip(), () -> null);
        } catch (Exception e) {
            throw new CommandException(where + ": " + e.getMessage(), e);
        }
        return change;
    }

    private SqlResult collect(Statement st, boolean isQuery, long start, String shown) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        String tag = null;
        boolean q = isQuery;
        while (true) {
            if (q) {
                try (ResultSet rs = st.getResultSet()) {
                    rows = Rows.of(rs);
                }
                tag = rows.size() + (rows.size() == 1 ? " row" : " rows");
            } else {
                int count = st.getUpdateCount();
                if (count == -1) break;
                tag = count + " row(s) affected";
            }
            q = st.getMoreResults();
            if (!q && st.getUpdateCount() == -1) break;
        }
        if (tag == null) tag = "done";
        return new SqlResult(name, rows, tag, Duration.ofNanos(System.nanoTime() - start), shown);
    }

    private static void cancel(Statement st) {
        try {
            st.cancel();
        } catch (SQLException ignored) {
            // the statement already ended
        }
    }

    /**
     * The JDBC connection, re-opened when the server restarted since: checked before a statement is
     * sent, so no statement is ever silently run twice.
     */
    synchronized Connection connection() throws SQLException {
        if (jdbc != null) {
            // A connection used within the last second is trusted without a ping: inside a write
            // window every round trip counts. An idle one is checked (the server may have restarted).
            if (!jdbc.isClosed() && System.nanoTime() - lastUsed < 1_000_000_000L) {
                lastUsed = System.nanoTime();
                return jdbc;
            }
            try {
                if (!jdbc.isClosed() && jdbc.isValid(2)) {
                    lastUsed = System.nanoTime();
                    return jdbc;
                }
            } catch (SQLException ignored) {
                // fall through to reconnect
            }
            close();
        }
        jdbc = readOnlyInDryRun(DriverManager.getConnection(conn.jdbcUrl(), conn.jdbcProperties()));
        jdbc.setAutoCommit(true);
        lastUsed = System.nanoTime();
        return jdbc;
    }

    /** A connection to another database of the same server (for per-database work). */
    @Override
    public Connection openConnection(String database) throws SQLException {
        ConnInfo other = conn.withDatabase(database);
        return readOnlyInDryRun(DriverManager.getConnection(other.jdbcUrl(), other.jdbcProperties()));
    }

    /**
     * In a dry run every session is read-only, so even a write the statement check missed cannot
     * land. A SET after connecting rather than a startup option: PgBouncer refuses unknown ones.
     */
    private Connection readOnlyInDryRun(Connection c) throws SQLException {
        if (live.get().dryRun()) {
            try (Statement st = c.createStatement()) {
                st.execute("set session characteristics as transaction read only");
                st.execute("set default_transaction_read_only = on");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /** Rows of a query run in another database of this server (one short-lived connection). */
    @Override
    public List<Map<String, Object>> sqlIn(String database, String text, Object... params) {
        CommandContext ctx = live.get();
        if (ctx.dryRun() && listedInDryRun(ctx, name + " (" + database + ")", text).isPresent()) return List.of();
        try (Connection c = openConnection(database); java.sql.PreparedStatement st = c.prepareStatement(text)) {
            for (int i = 0; i < params.length; i++) st.setObject(i + 1, params[i]);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return Rows.of(rs);
            }
        } catch (SQLException e) {
            throw new CommandException(name + " (" + database + "): " + ConnectionErrors.describe(conn, e), e);
        }
    }

    /** Asks the server what it is now: version, role, timeline, LSN, data directory. */
    @Override
    public synchronized ServerStatus probe() {
        ServerStatus status;
        try {
            Connection c = connection();
            int num;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int, current_setting('server_version')")) {
                rs.next();
                num = rs.getInt(1);
                String text = rs.getString(2);
                PgVersion v = new PgVersion(num);
                String q = "select pg_is_in_recovery(), case when pg_is_in_recovery() then " + v.replayLsnFunction() + "::text else "
                        + v.currentLsnFunction() + "::text end, case when pg_is_in_recovery() then null else "
                        + v.walFileNameFunction() + "(" + v.currentLsnFunction() + ") end, "
                        + "(select timeline_id from pg_control_checkpoint()), "
                        + "(select setting from pg_settings where name = 'data_directory')";
                boolean recovery;
                String lsn;
                String walfile;
                int tli;
                String dataDir;
                try (ResultSet r2 = st.executeQuery(q)) {
                    r2.next();
                    recovery = r2.getBoolean(1);
                    lsn = r2.getString(2);
                    walfile = r2.getString(3);
                    tli = r2.getInt(4);
                    dataDir = r2.getString(5);
                }
                if (walfile != null && walfile.length() >= 8) {
                    tli = Integer.parseInt(walfile.substring(0, 8), 16);
                } else if (recovery) {
                    tli = receivedTimeline(st, tli);
                }
                status = new ServerStatus(true, null, num, text, recovery, tli, lsn, dataDir);
            }
        } catch (SQLException e) {
            String why = ConnectionErrors.describe(conn, e);
            if (why.startsWith("not running")) {
                status = ServerStatus.notRunning(why.substring("not running ".length()).replaceAll("^\\(|\\)$", ""));
            } else {
                throw new CommandException(name + ": " + why);
            }
        }
        return status;
    }

    private static int receivedTimeline(Statement st, int fallback) {
        try (ResultSet rs = st.executeQuery("select received_tli from pg_stat_wal_receiver")) {
            if (rs.next() && rs.getInt(1) > 0) return rs.getInt(1);
        } catch (SQLException ignored) {
            // older servers or no receiver: the checkpoint's timeline will do
        }
        return fallback;
    }

    @Override
    public synchronized void close() {
        if (jdbc != null) {
            try {
                jdbc.close();
            } catch (SQLException ignored) {
                // already gone
            }
            jdbc = null;
        }
    }
}
