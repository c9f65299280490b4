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
 * Read-only for every role: {@code default_transaction_read_only} via ALTER SYSTEM + reload, then
 * the transactions that began before it (and could still write) are waited for, and terminated
 * after a grace period. Per-role or per-database overrides would let some role keep writing, so
 * they are refused up front.
 */
public final class ReadOnlyFreeze extends Freeze {
    private final ConnInfo server;
    private final String serverName;
    private final String previousAutoConf;

    private ReadOnlyFreeze(String id, Instant started, List<String> changes, ConnInfo server, String serverName, String previousAutoConf) {
        super(id, started, changes);
        this.server = server;
        this.serverName = serverName;
        this.previousAutoConf = previousAutoConf;
    }

    @Override
    public String kind() {
        return "read-only";
    }

    @Override
    public String target() {
        return serverName + " read-only (" + server.host() + ":" + server.port() + ")";
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server.toString());
        m.put("name", serverName);
        m.put("previousAutoConf", previousAutoConf);
        return m;
    }

    static ReadOnlyFreeze restore(Map<String, Object> r) {
        Object prev = r.get("previousAutoConf");
        return new ReadOnlyFreeze(String.valueOf(r.get("id")), Instant.parse(String.valueOf(r.get("started"))), List.of(),
                ConnInfo.parse(String.valueOf(r.get("server"))), String.valueOf(r.get("name")), prev == null ? null : String.valueOf(prev));
    }

    public static ReadOnlyFreeze apply(CommandContext ctx, String id, String name, ConnInfo server, Duration budget, Duration grace,
            BoundedDdl ddl) throws Exception {
        List<String> changes = new ArrayList<>();
        try (Connection c = Sql.open(server)) {
            var overrides = Sql.rows(c, "select coalesce(r.rolname, '(all roles)') as role, coalesce(d.datname, '(all databases)') as db, "
                    + "array_to_string(s.setconfig, ', ') as config from pg_db_role_setting s left join pg_roles r on r.oid = s.setrole "
                    + "left join pg_database d on d.oid = s.setdatabase where array_to_string(s.setconfig, ',') like '%default_transaction_read_only%'");
            if (!overrides.isEmpty()) {
                List<String> where = new ArrayList<>();
                for (var o : overrides) where.add(o.get("role") + " in " + o.get("db") + " (" + o.get("config") + ")");
                throw CommandException.refused("freeze " + name + " read-only refused: these settings override it, so those roles "
                        + "could keep writing: " + String.join("; ", where) + ". Reset them first (ALTER ROLE ... RESET default_transaction_read_only)");
            }
            var prev = Sql.rows(c, "select setting, sourcefile from pg_settings where name = 'default_transaction_read_only'").get(0);
            String sourcefile = String.valueOf(prev.get("sourcefile"));
            String previousAutoConf = sourcefile.endsWith("postgresql.auto.conf") ? String.valueOf(prev.get("setting")) : null;
            if (ctx.dryRun()) {
                ctx.action("would run: " + name + ": ALTER SYSTEM SET default_transaction_read_only = on; select pg_reload_conf()");
                return new ReadOnlyFreeze(id, Instant.now(), changes, server, name, previousAutoConf);
            }
            try {
                ddl.run(c, server, "alter system set default_transaction_read_only = on");
            } catch (SQLException e) {
                throw new CommandException("freeze " + name + " read-only: " + Sql.firstLine(e.getMessage()) + "; nothing was changed");
            }
            Instant started = Instant.now();
            changes.add(name + ": ALTER SYSTEM SET default_transaction_read_only = on; select pg_reload_conf()");
            ctx.action(changes.get(0));
            ReadOnlyFreeze freeze = new ReadOnlyFreeze(id, started, changes, server, name, previousAutoConf);
            try {
                ddl.run(c, server, "select pg_reload_conf()");
            } catch (SQLException e) {
                // postgresql.auto.conf says read-only but the server was not told: put the file back too.
                freeze.undo(ctx);
                throw new CommandException("freeze " + name + " read-only: " + Sql.firstLine(e.getMessage()) + "; the setting was restored");
            }
            // Transactions that began before the reload are still read-write: wait for them to end.
            Object reloadedAt = Sql.rows(c, "select statement_timestamp() as t").get(0).get("t");
            long graceEnd = System.nanoTime() + grace.toNanos();
            long deadline = System.nanoTime() + budget.toNanos();
            String pending = "select pid, usename, datname, state, extract(epoch from now() - xact_start)::int as secs, query "
                    + "from pg_stat_activity where pid <> pg_backend_pid() and backend_type = 'client backend' "
                    + "and xact_start is not null and xact_start < ?";
            try {
                while (true) {
                    var open = Sql.rows(c, pending, reloadedAt);
                    if (open.isEmpty()) break;
                    if (System.nanoTime() > deadline) {
                        throw new CommandException("transactions begun before the freeze were still open after "
                                + Durations.format(budget) + ". Held up by: " + Sql.describe(open));
                    }
                    if (System.nanoTime() > graceEnd) {
                        for (var s : open) {
                            Sql.rows(c, "select pg_terminate_backend(?)", s.get("pid"));
                            String what = name + ": terminated pid " + s.get("pid") + " (" + s.get("usename") + ", in a transaction for " + s.get("secs") + "s)";
                            ctx.warn(what);
                            ctx.action(what);
                        }
                    }
                    ctx.cancellation().check();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                // Cancelled, a lost connection, a session that could not be terminated, the budget spent: never leave a
                // freeze in force that nothing records and unfreeze() cannot see.
                throw Undone.after(e, ctx, freeze, "freeze " + name + " read-only", "the setting was restored");
            }
            ctx.info(name + " is read-only for every role");
            return freeze;
        }
    }

    @Override
    public Optional<String> notInForce() {
        // reset_val: what the server's configuration says, not this (deliberately read-write) session.
        try (Connection c = Sql.open(server)) {
            Object v = Sql.rows(c, "select reset_val from pg_settings where name = 'default_transaction_read_only'").get(0).get("reset_val");
            return "on".equals(String.valueOf(v)) ? Optional.empty()
                    : Optional.of(serverName + " is no longer read-only (default_transaction_read_only = " + v + ")");
        } catch (java.sql.SQLException e) {
            return Optional.of(serverName + " cannot be asked whether it is still read-only: " + Sql.firstLine(e.getMessage()));
        }
    }

    @Override
    protected void undo(CommandContext ctx) throws Exception {
        String sql = undoSql();
        try (Connection c = Sql.openToUndo(server, serverName, "default_transaction_read_only = on stays in its postgresql.auto.conf, "
                + "so it starts read-only, which keeps the way back safe; to let writes in there again, start it and run " + sql
                + "; SELECT pg_reload_conf()")) {
            ctx.mutate(serverName + ": " + sql + "; select pg_reload_conf()", () -> {
                BoundedDdl ddl = BoundedDdl.defaults();
                ddl.run(c, server, sql);
                ddl.run(c, server, "select pg_reload_conf()");
                return null;
            });
        }
    }

    private String undoSql() {
        return previousAutoConf == null ? "ALTER SYSTEM RESET default_transaction_read_only"
                : "ALTER SYSTEM SET default_transaction_read_only = " + (previousAutoConf.equals("on") ? "on" : "off");
    }

    @Override
    public java.util.Optional<ConnInfo> server() {
        return java.util.Optional.of(server);
    }

    @Override
    public String undoByHand() {
        return "psql " + ShellQuote.quote(server.toString()) + " -c " + ShellQuote.quote(undoSql()) + " -c 'SELECT pg_reload_conf()'";
    }
}
