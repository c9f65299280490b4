package dev.cutover.freeze;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.ConnInfo;
import dev.cutover.pg.PgBouncerAdmin;
import dev.cutover.spi.Durations;

/**
 * PAUSE in PgBouncer: clients stay connected and simply wait, so the write outage is the time
 * between PAUSE and RESUME. PAUSE completes only when every server connection is released, which
 * transaction pooling allows and session pooling never does; a PAUSE that cannot complete within
 * the budget is RESUMEd and reported with the sessions that held it up.
 */
public final class PgBouncerFreeze extends Freeze {
    private final ConnInfo admin;
    private final List<String> databases;
    /** Kept open while frozen: RESUME then costs one round trip, not a new login. */
    private volatile PgBouncerAdmin console;

    private PgBouncerFreeze(String id, Instant started, List<String> changes, ConnInfo admin, List<String> databases) {
        super(id, started, changes);
        this.admin = admin;
        this.databases = databases;
    }

    @Override
    public String kind() {
        return "pgbouncer";
    }

    @Override
    public String target() {
        return "pgbouncer " + admin.host() + ":" + admin.port() + " " + (databases.isEmpty() ? "(all databases)" : String.join(", ", databases));
    }

    public List<String> databases() {
        return databases;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pgbouncer", admin.toString());
        m.put("databases", databases);
        return m;
    }

    @SuppressWarnings("unchecked")
    static PgBouncerFreeze restore(Map<String, Object> r) {
        return new PgBouncerFreeze(String.valueOf(r.get("id")), Instant.parse(String.valueOf(r.get("started"))), List.of(),
                ConnInfo.parse(String.valueOf(r.get("pgbouncer"))), (List<String>) r.get("databases"));
    }

    public static PgBouncerFreeze apply(CommandContext ctx, String id, ConnInfo admin, List<String> databases, Duration budget)
            throws Exception {
        List<String> changes = new ArrayList<>();
        PgBouncerAdmin console = PgBouncerAdmin.open(admin);
        boolean keep = false;
        try {
            for (String db : databases.isEmpty() ? List.of("(all)") : databases) {
                if (!db.equals("(all)") && console.database(db) == null) {
                    throw CommandException.refused("freeze: PgBouncer " + admin.host() + ":" + admin.port() + " has no database '" + db + "'");
                }
                String mode = db.equals("(all)") ? console.config("pool_mode") : console.poolMode(db);
                if ("session".equals(mode)) {
                    throw CommandException.refused("freeze: PgBouncer pool_mode for " + db + " is session: PAUSE would wait for every client "
                            + "to disconnect. Use pool_mode = transaction for the window (or freeze another way)");
                }
            }
            Instant started = Instant.now();
            List<String> paused = new ArrayList<>();
            ExecutorService pauser = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "pgbouncer-pause");
                t.setDaemon(true);
                return t;
            });
            long deadline = System.nanoTime() + budget.toNanos();
            try {
                for (String db : databases.isEmpty() ? List.of("") : databases) {
                    String command = db.isEmpty() ? "PAUSE" : "PAUSE " + PgBouncerAdmin.quoteIdent(db);
                    ctx.action("pgbouncer " + admin.host() + ":" + admin.port() + ": " + command);
                    if (ctx.dryRun()) {
                        ctx.info("would run: " + command);
                        continue;
                    }
                    Future<?> f = pauser.submit(() -> {
                        console.command(command);
                        return null;
                    });
                    try {
                        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        paused.add(db);
                        changes.add(command);
                    } catch (TimeoutException e) {
                        // End the outage first, on a fresh connection (this console is stuck in the PAUSE);
                        // the blocking transaction still holds its server connection afterwards, so it can be named.
                        resume(admin, databases.isEmpty() ? List.of("") : databases);
                        String blockers;
                        try (PgBouncerAdmin other = PgBouncerAdmin.open(admin)) {
                            blockers = blockers(other, db);
                        }
                        throw new CommandException("freeze: " + command + " did not complete within " + Durations.format(budget)
                                + "; PgBouncer was resumed, nothing stays paused. Held up by: " + blockers);
                    } catch (java.util.concurrent.ExecutionException e) {
                        resume(admin, paused);
                        throw new CommandException("freeze: " + command + " failed: " + e.getCause().getMessage());
                    } catch (InterruptedException e) {
                        resume(admin, databases.isEmpty() ? List.of("") : databases);
                        throw e;
                    }
                }
            } finally {
                pauser.shutdownNow();
            }
            ctx.info("paused " + String.join(", ", databases.isEmpty() ? List.of("all databases") : databases) + " in "
                    + Durations.format(Duration.between(started, Instant.now())));
            PgBouncerFreeze freeze = new PgBouncerFreeze(id, started, changes, admin, databases);
            freeze.console = console;
            keep = true;
            return freeze;
        } finally {
            if (!keep) console.close();
        }
    }

    /** Who holds the pool: active server connections, with their queries from the server itself. */
    private static String blockers(PgBouncerAdmin console, String db) {
        try {
            List<String> out = new ArrayList<>();
            Map<String, Object> dbRow = db.isEmpty() ? null : console.database(db);
            for (Map<String, Object> s : console.show("SERVERS")) {
                if (!db.isEmpty() && !db.equals(s.get("database"))) continue;
                if (!"active".equals(s.get("state"))) continue;
                Object pid = s.get("remote_pid");
                String detail = "server pid " + pid + " (" + s.get("user") + "@" + s.get("database") + ")";
                if (dbRow != null && pid != null) detail += describeBackend(console.info(), dbRow, pid);
                out.add(detail);
            }
            return out.isEmpty() ? "no active server connection was found (clients waiting on a slow PAUSE?)" : String.join("; ", out);
        } catch (SQLException e) {
            return "(could not list: " + e.getMessage() + ")";
        }
    }

    private static String describeBackend(ConnInfo admin, Map<String, Object> dbRow, Object pid) {
        ConnInfo server = new ConnInfo(admin.user(), admin.password(), String.valueOf(dbRow.get("host")),
                ((Number) dbRow.get("port")).intValue(), String.valueOf(dbRow.get("database")), Map.of());
        try (var c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.jdbcProperties());
             var st = c.prepareStatement("select state, extract(epoch from now() - xact_start)::int as secs, query from pg_stat_activity where pid = ?")) {
            st.setInt(1, Integer.parseInt(String.valueOf(pid)));
            try (var rs = st.executeQuery()) {
                if (rs.next()) {
                    return ", " + rs.getString(1) + " for " + rs.getInt(2) + "s: " + oneLine(rs.getString(3));
                }
            }
        } catch (SQLException | NumberFormatException e) {
            return " (server not reachable to describe it: " + e.getMessage() + ")";
        }
        return "";
    }

    private static String oneLine(String q) {
        String s = q == null ? "" : q.replaceAll("\\s+", " ").strip();
        return s.length() > 120 ? s.substring(0, 119) + "…" : s;
    }

    static void resume(ConnInfo admin, List<String> databases) throws SQLException {
        try (PgBouncerAdmin console = PgBouncerAdmin.open(admin)) {
            for (String db : databases) {
                try {
                    console.command(db.isEmpty() ? "RESUME" : "RESUME " + PgBouncerAdmin.quoteIdent(db));
                } catch (SQLException e) {
                    if (!String.valueOf(e.getMessage()).contains("not paused")) throw e;
                }
            }
        }
    }

    @Override
    public Optional<String> notInForce() {
        if (databases.isEmpty()) return Optional.empty(); // a global PAUSE shows in no row of SHOW DATABASES
        try (PgBouncerAdmin console = PgBouncerAdmin.open(admin)) {
            for (String db : databases) {
                Map<String, Object> row = console.database(db);
                if (row == null || !"1".equals(String.valueOf(row.get("paused")))) {
                    return Optional.of("pgbouncer " + admin.host() + ":" + admin.port() + " no longer holds " + db + " paused (restarted, or resumed by hand?)");
                }
            }
            return Optional.empty();
        } catch (java.sql.SQLException e) {
            return Optional.of("pgbouncer " + admin.host() + ":" + admin.port() + " cannot be asked whether " + String.join(", ", databases)
                    + " are still paused: " + Sql.firstLine(e.getMessage()));
        }
    }

    @Override
    protected void undo(CommandContext ctx) throws Exception {
        List<String> dbs = databases.isEmpty() ? List.of("") : databases;
        ctx.mutate("pgbouncer " + admin.host() + ":" + admin.port() + ": RESUME " + String.join(", ", databases), () -> {
            PgBouncerAdmin open = console;
            console = null;
            if (open != null) {
                try (open) {
                    for (String db : dbs) open.command(db.isEmpty() ? "RESUME" : "RESUME " + PgBouncerAdmin.quoteIdent(db));
                    return null;
                } catch (SQLException e) {
                    // the kept connection died (PgBouncer restarted?): fall back to a fresh one
                }
            }
            resume(admin, dbs);
            return null;
        });
    }

    @Override
    public String undoByHand() {
        StringBuilder sb = new StringBuilder("psql " + ShellQuote.quote(admin.toString()));
        if (databases.isEmpty()) sb.append(" -c RESUME");
        for (String db : databases) sb.append(" -c ").append(ShellQuote.quote("RESUME " + PgBouncerAdmin.quoteIdent(db)));
        return sb.toString();
    }
}
