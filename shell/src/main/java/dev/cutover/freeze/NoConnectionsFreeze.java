package dev.cutover.freeze;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.host.ShellQuote;
import dev.cutover.pg.BoundedDdl;
import dev.cutover.pg.ConnInfo;
import dev.cutover.spi.Durations;

/**
 * No connections: ALLOW_CONNECTIONS false on the databases, and their sessions (except ours)
 * terminated. The ALTERs wait at most lock_timeout ({@link BoundedDdl}); when one cannot, the
 * databases already closed are opened again before the step fails.
 */
public final class NoConnectionsFreeze extends Freeze {
    private final ConnInfo server;
    private final String serverName;
    private final List<String> databases;

    private NoConnectionsFreeze(String id, Instant started, List<String> changes, ConnInfo server, String serverName, List<String> databases) {
        super(id, started, changes);
        this.server = server;
        this.serverName = serverName;
        this.databases = databases;
    }

    @Override
    public String kind() {
        return "no-connections";
    }

    @Override
    public String target() {
        return serverName + " databases " + String.join(", ", databases) + " closed to connections";
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server.toString());
        m.put("name", serverName);
        m.put("databases", databases);
        return m;
    }

    @SuppressWarnings("unchecked")
    static NoConnectionsFreeze restore(Map<String, Object> r) {
        return new NoConnectionsFreeze(String.valueOf(r.get("id")), Instant.parse(String.valueOf(r.get("started"))), List.of(),
                ConnInfo.parse(String.valueOf(r.get("server"))), String.valueOf(r.get("name")), (List<String>) r.get("databases"));
    }

    public static NoConnectionsFreeze apply(CommandContext ctx, String id, String name, ConnInfo server, List<String> requested, Duration budget,
            BoundedDdl ddl) throws Exception {
        try (Connection c = Sql.open(server)) {
            List<String> databases = new ArrayList<>(requested);
            if (databases.isEmpty()) {
                for (var r : Sql.rows(c, "select datname from pg_database where datallowconn and not datistemplate and datname <> current_database() order by 1")) {
                    databases.add(String.valueOf(r.get("datname")));
                }
            }
            if (databases.contains(server.database())) {
                throw CommandException.refused("freeze " + name + " no-connections: cutover's own connection uses " + server.database()
                        + "; connect to another database (postgres) to close " + server.database());
            }
            List<String> changes = new ArrayList<>();
            List<String> closed = new ArrayList<>();
            Instant started = Instant.now();
            for (String db : databases) {
                String sql = "alter database " + Sql.ident(db) + " allow_connections false";
                if (ctx.dryRun()) {
                    ctx.action("would run: " + name + ": " + sql);
                    continue;
                }
                try {
                    ddl.run(c, server, sql);
                } catch (SQLException e) {
                    // Half a freeze is the worst outcome: some databases closed, writes still going to others.
                    throw new CommandException("freeze " + name + " no-connections: " + Sql.firstLine(e.getMessage()) + "; "
                            + reopen(ctx, c, server, name, closed));
                }
                closed.add(db);
                changes.add(name + ": " + sql);
                ctx.action(name + ": " + sql);
            }
            NoConnectionsFreeze freeze = new NoConnectionsFreeze(id, started, changes, server, name, List.copyOf(databases));
            if (ctx.dryRun()) return freeze;
            long deadline = System.nanoTime() + budget.toNanos();
            String others = "select pid, usename, datname, state, extract(epoch from now() - coalesce(xact_start, backend_start))::int as secs, query "
                    + "from pg_stat_activity where pid <> pg_backend_pid() and datname = any(?)";
            String[] dbs = databases.toArray(new String[0]);
            try {
                while (true) {
                    var open = Sql.rows(c, others, (Object) dbs);
                    if (open.isEmpty()) break;
                    if (System.nanoTime() > deadline) {
                        throw new CommandException("sessions survived termination for " + Durations.format(budget)
                                + ". Sessions: " + Sql.describe(open));
                    }
                    Sql.rows(c, "select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and datname = any(?)", (Object) dbs);
                    ctx.cancellation().check();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                // As for a read-only freeze: whatever ends the wait, the databases are opened again before the error.
                throw Undone.after(e, ctx, freeze, "freeze " + name + " no-connections", "connections were allowed again");
            }
            ctx.info(name + ": " + String.join(", ", databases) + " closed, no session left");
            return freeze;
        }
    }

    /** Allows connections again to the databases this attempt closed; says what it did, for the error line. */
    private static String reopen(CommandContext ctx, Connection c, ConnInfo server, String name, List<String> closed) {
        if (closed.isEmpty()) return "nothing was closed";
        List<String> failed = new ArrayList<>();
        for (String db : closed) {
            String sql = "alter database " + Sql.ident(db) + " allow_connections true";
            try {
                BoundedDdl.defaults().run(c, server, sql);
                ctx.action(name + ": " + sql);
            } catch (SQLException e) {
                failed.add(db + " (" + Sql.firstLine(e.getMessage()) + ")");
            }
        }
        if (failed.isEmpty()) return "reopened " + String.join(", ", closed) + ", nothing stays closed";
        return "could NOT reopen " + String.join(", ", failed) + ": run ALTER DATABASE ... ALLOW_CONNECTIONS true on each";
    }

    @Override
    public Optional<String> notInForce() {
        try (Connection c = Sql.open(server)) {
            List<Map<String, Object>> open = Sql.rows(c, "select datname from pg_database where datname = any(?) and datallowconn",
                    (Object) databases.toArray(new String[0]));
            return open.isEmpty() ? Optional.empty() : Optional.of(serverName + " allows connections again to "
                    + String.join(", ", open.stream().map(r -> String.valueOf(r.get("datname"))).toList()));
        } catch (java.sql.SQLException e) {
            return Optional.of(serverName + " cannot be asked whether its databases are still closed: " + Sql.firstLine(e.getMessage()));
        }
    }

    @Override
    protected void undo(CommandContext ctx) throws Exception {
        try (Connection c = Sql.openToUndo(server, serverName, String.join(", ", databases) + (databases.size() == 1 ? " stays" : " stay") + " closed to connections in its catalog, "
                + "which keeps the way back safe; to open them, start it and run " + String.join("; ", openSql()))) {
            for (String db : databases) {
                String sql = "alter database " + Sql.ident(db) + " allow_connections true";
                ctx.mutate(serverName + ": " + sql, () -> {
                    BoundedDdl.defaults().run(c, server, sql);
                    return null;
                });
            }
        }
    }

    private List<String> openSql() {
        return databases.stream().map(db -> "ALTER DATABASE " + Sql.ident(db) + " ALLOW_CONNECTIONS true").toList();
    }

    /** Whether this freeze closed that database of the server at that address. */
    public boolean closes(String host, int port, String database) {
        return server.host().equals(host) && server.port() == port && databases.contains(database);
    }

    /** Whether this freeze closed a database of that name on any server (the setting replicates to standbys). */
    public boolean closes(String database) {
        return databases.contains(database);
    }

    public String serverName() {
        return serverName;
    }

    @Override
    public java.util.Optional<ConnInfo> server() {
        return java.util.Optional.of(server);
    }

    @Override
    public String undoByHand() {
        StringBuilder sb = new StringBuilder("psql " + ShellQuote.quote(server.toString()));
        for (String sql : openSql()) sb.append(" -c ").append(ShellQuote.quote(sql));
        return sb.toString();
    }
}
