package dev.cutover.verify;

import dev.cutover.alias.AliasLookup;
import dev.cutover.host.HostNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Check;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.host.Host;
import dev.cutover.pg.Server;
import dev.cutover.pg.ConnInfo;
import dev.cutover.pg.PgBouncerAdmin;
import dev.cutover.freeze.ClosedDatabases;
import dev.cutover.pg.WalDir;
import dev.cutover.pg.DbKey;
import dev.cutover.pg.TimelineHistory;

/**
 * {@code verify up, version: 15, against: snap}: proof that the cutover is complete, as a report of
 * checks. Any failed check fails the step; the report names what differs.
 */
public final class VerifyCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("verify",
            "checks a server against a snapshot: version, role, data, sequences, stats, standbys, timeline history",
            "verify up, version: 15, against: snap",
            OptionSpec.of("version", "the major version the server must run"),
            OptionSpec.of("against", "a snapshot (default: the latest one of this session, also after --resume); false: no data comparison"),
            OptionSpec.of("role", "'primary' (default) or 'standby'"),
            OptionSpec.of("rows", "'hash' (default when the snapshot has hashes) or 'count'"),
            OptionSpec.of("jobs", "parallel connections for hashing (default: the host's cores)"),
            OptionSpec.of("alias", "a host alias the app hosts must resolve to this server, or with pgbouncer: a [databases] entry that must point at it"),
            OptionSpec.of("hosts", "app hosts for alias: (['root@app1', ...])"),
            OptionSpec.of("file", "hosts file on the app hosts (default /etc/hosts)"),
            OptionSpec.of("pgbouncer", "PgBouncer admin url: alias: is a database entry, checked in SHOW DATABASES (as flipAlias pgbouncer: sets it)"),
            OptionSpec.of("address", "the address alias: must resolve to (default: the server's host; with pgbouncer: the host of its connection)"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        if (!(call.arg(0) instanceof Server server)) throw new CommandException("verify: which server? verify up, version: 15, against: snap");
        Object against = call.value("against");
        // against: null is a variable that was never set, not "the latest": refused rather than guessed.
        if (call.has("against") && against == null) {
            throw new CommandException("verify: against: is null (a snapshot variable never set?); name a snapshot (against: snap), or against: false to check without data");
        }
        Snapshot snap = against instanceof SnapshotCommand.Taken t ? t.snapshot() : against instanceof Snapshot s ? s
                : against == null ? ctx.session(Snapshots.class, Snapshots::new).latest().orElse(null) : null;
        if (against != null && !Boolean.FALSE.equals(against) && snap == null) throw new CommandException("verify: against: must be a snapshot (snap = snapshot old), got " + against);
        CheckReport report = new CheckReport("verify " + server.getName(), ctx);
        if (snap == null && against == null) {
            report.add(Check.fail("data", "no snapshot to compare with, so no table, sequence or database was checked",
                    "take one inside the freeze (snap = snapshot old) and verify ..., against: snap; or against: false to check the server alone"));
        } else if (against == null && snap.server().equals(server.getName())) {
            // The latest snapshot is of this very server: comparing it with itself proves nothing about a copy.
            report.add(Check.fail("data", "the latest snapshot is of " + server.getName() + " itself (taken " + snap.takenAt() + "), not of the server it was copied from",
                    "name the snapshot to compare with: verify " + server.getName() + ", against: snap"));
            snap = null;
        }
        if (snap != null && Boolean.FALSE.equals(snap.frozen())) {
            report.add(Check.warn("snapshot", "the snapshot of " + snap.server() + " was taken " + snap.takenAt() + " while no freeze was in force: "
                    + "rows written after it are not compared", "take the snapshot inside the freeze, after freeze and before the cut"));
        }

        try {
            Object one = server.value("select 1");
            report.add(Check.ok("connections", server.getName() + " accepts connections and answers (select 1 → " + one + ")"));
        } catch (CommandException e) {
            report.add(Check.fail("connections", e.getMessage(), "start it, or check pg_hba.conf and listen_addresses"));
            report.refuseIfFailed("verify");
        }
        String major = server.pgVersion().majorText();
        if (call.has("version")) {
            String want = call.string("version", null).replaceAll("\\.0$", "");
            report.add(want.equals(major) ? Check.ok("version", major)
                    : Check.fail("version", "runs " + major + ", expected " + want, "upgrade it, or connect to the right server"));
        } else {
            report.add(Check.ok("version", major));
        }
        String role = server.getInRecovery() ? "standby" : "primary";
        String wantRole = call.string("role", "primary");
        report.add(role.equals(wantRole) ? Check.ok("role", role)
                : Check.fail("role", "is a " + role + ", expected a " + wantRole, role.equals("standby") ? "promote it" : "it was promoted: rebuild the standby"));

        // The databases to look into: the snapshot's that this server has (or all of this server's without a snapshot).
        List<String> have = new ArrayList<>(server.databasesWithAccess().keySet());
        List<String> presentDbs = snap == null ? have : snap.databases().stream().filter(have::contains).toList();
        refuseClosed(ctx, server, presentDbs);
        if (snap != null) {
            List<String> missingDbs = snap.databases().stream().filter(d -> !have.contains(d)).toList();
            report.add(missingDbs.isEmpty() ? Check.ok("databases", String.join(", ", snap.databases()))
                    : Check.fail("databases", "missing: " + String.join(", ", missingDbs), "restore them"));
            List<String> roles = SnapshotCommand.roles(server);
            List<String> missingRoles = snap.roles().stream().filter(r -> !roles.contains(r)).toList();
            report.add(missingRoles.isEmpty() ? Check.ok("roles", snap.roles().size() + " present")
                    : Check.fail("roles", "missing: " + String.join(", ", missingRoles), "pg_dumpall --globals-only from the old server"));
            Map<String, String> ext = SnapshotCommand.extensions(server, presentDbs);
            List<String> missingExt = snap.extensions().keySet().stream().filter(k -> !ext.containsKey(k)).toList();
            report.add(missingExt.isEmpty() ? Check.ok("extensions", snap.extensions().size() + " present")
                    : Check.fail("extensions", "missing: " + String.join(", ", missingExt), "CREATE EXTENSION in those databases"));
            settings(server, snap, report);
            boolean countOnly = call.string("rows", snap.mode()).equals("count") || snap.mode().equals("count");
            int jobs = call.number("jobs", server.cores(), 1, 256);
            ContentChecks.add(ctx, server, snap, presentDbs, countOnly, jobs, report);
            sequences(server, snap, presentDbs, report);
        }
        extensionUpdates(server, presentDbs, report);
        statistics(server, presentDbs, report);
        if (role.equals("primary")) standbys(server, report);
        history(server, report);
        if (call.has("alias")) alias(ctx, call, server, report);
        report.refuseIfFailed("verify");
        return report;
    }

    /** A database verify cannot enter is named and refused: checking the others and saying ok would pass over it. */
    private static void refuseClosed(CommandContext ctx, Server server, List<String> databases) {
        List<ClosedDatabases.Closed> closed = ClosedDatabases.among(ctx, server, databases);
        if (closed.isEmpty()) return;
        throw CommandException.refused("verify refused: " + server.getName() + "'s database " + ClosedDatabases.describe(closed)
                + " does not allow connections, so it cannot be checked. " + (ClosedDatabases.byOwnFreeze(closed)
                ? "Verify after unfreeze, or freeze with mode: 'read-only' (or pgbouncer:) instead"
                : "Open it on " + server.getName() + " (" + ClosedDatabases.openSql(closed) + ") and verify again"));
    }

    /**
     * The settings a snapshot records that change what the same data means or who may reach it: another collation
     * or ctype orders and compares text differently (equal rows, other query results and index order), another
     * encoding or escaping reads literals differently, fewer connections turn applications away.
     */
    private static void settings(Server server, Snapshot snap, CheckReport report) {
        if (snap.settings().isEmpty()) return;
        Map<String, String> now = SnapshotCommand.settings(server);
        List<String> changed = new ArrayList<>();
        snap.settings().forEach((name, was) -> {
            String is = now.get(name);
            if (is == null || is.equals(was)) return;
            if (name.equals("max_connections") && is.matches("\\d+") && was.matches("\\d+") && Long.parseLong(is) >= Long.parseLong(was)) return;
            changed.add(name + " " + was + " → " + is);
        });
        report.add(changed.isEmpty() ? Check.ok("settings", snap.settings().size() + " as on " + snap.server())
                : Check.warn("settings", "differ from " + snap.server() + ": " + String.join(", ", changed),
                "a collation or ctype changes text order and comparisons (reindex, check queries); fewer connections turn apps away: "
                        + "set them as on " + snap.server() + " unless the change is meant"));
    }

    private static void sequences(Server server, Snapshot snap, List<String> dbs, CheckReport report) {
        if (snap.sequences().isEmpty()) return;
        Map<String, Long> now = SnapshotCommand.sequences(server, dbs);
        List<String> behind = new ArrayList<>();
        snap.sequences().forEach((k, was) -> {
            if (!dbs.contains(DbKey.database(k))) return;
            Long v = now.get(k);
            // Missing on this server fails whatever the snapshot read (a sequence never used reads null there).
            if (!now.containsKey(k)) behind.add(k + " missing");
            else if (was != null && (v == null || v < was)) behind.add(k + " at " + v + ", was " + was);
        });
        report.add(behind.isEmpty() ? Check.ok("sequences", snap.sequences().size() + " not behind the snapshot")
                : Check.fail("sequences", "behind or missing: " + String.join(", ", behind), "setval() each to at least the old value before apps write"));
    }

    private static void extensionUpdates(Server server, List<String> dbs, CheckReport report) {
        List<String> stale = new ArrayList<>();
        for (String db : dbs) {
            for (Map<String, Object> r : server.sqlIn(db, "select name, installed_version, default_version from pg_available_extensions "
                    + "where installed_version is not null and installed_version <> default_version")) {
                stale.add(DbKey.of(db, String.valueOf(r.get("name"))) + " " + r.get("installed_version") + " → " + r.get("default_version"));
            }
        }
        report.add(stale.isEmpty() ? Check.ok("extension versions", "all at the installed default")
                : Check.warn("extension versions", String.join(", ", stale), "ALTER EXTENSION ... UPDATE in each database"));
    }

    private static void statistics(Server server, List<String> dbs, CheckReport report) {
        List<String> never = new ArrayList<>();
        for (String db : dbs) {
            for (Map<String, Object> r : server.sqlIn(db, "select format('%I.%I', schemaname, relname) as t from pg_stat_user_tables "
                    + "where last_analyze is null and last_autoanalyze is null order by 1")) {
                never.add(DbKey.of(db, String.valueOf(r.get("t"))));
            }
        }
        report.add(never.isEmpty() ? Check.ok("statistics", "every table analyzed")
                : Check.warn("statistics", never.size() + " tables never analyzed: " + String.join(", ", never.subList(0, Math.min(10, never.size())))
                + (never.size() > 10 ? ", …" : ""), "analyze " + server.getName()));
    }

    private static void standbys(Server server, CheckReport report) {
        String lag = server.getVersionNum() >= 100_000 ? "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)" : "pg_xlog_location_diff(pg_current_xlog_location(), replay_location)";
        // A walsender holding a logical slot serves a subscription (after a logical cut: the way back), not a standby.
        List<Map<String, Object>> rows = server.sql("select application_name, client_addr::text as addr, state, " + lag + "::bigint as lag, "
                + "(select s.slot_name::text from pg_replication_slots s where s.active_pid = r.pid and s.slot_type = 'logical') as logical_slot "
                + "from pg_stat_replication r");
        if (rows.isEmpty()) {
            report.add(Check.ok("standbys", "none connected"));
            return;
        }
        for (Map<String, Object> r : rows) {
            String name = r.get("application_name") + "@" + r.get("addr");
            boolean streaming = "streaming".equals(r.get("state"));
            if (r.get("logical_slot") != null) {
                // Starting up or catching up right after it was made (the way back begins at the cut) is not a failure of this server.
                String what = String.valueOf(r.get("state")) + " (logical slot " + r.get("logical_slot") + ")";
                report.add(streaming ? Check.ok("subscriber " + name, what + ", " + r.get("lag") + " bytes behind")
                        : Check.warn("subscriber " + name, what, "lag(...) on the link, and the subscriber's log if it stays so"));
                continue;
            }
            report.add(streaming ? Check.ok("standby " + name, "streaming, " + r.get("lag") + " bytes behind")
                    : Check.fail("standby " + name, String.valueOf(r.get("state")), "check the standby's log"));
        }
    }

    private static void history(Server server, CheckReport report) {
        int tli = server.getTimeline();
        if (tli == 1) {
            report.add(Check.ok("timeline history", "timeline 1 needs none"));
            return;
        }
        List<String> files = WalDir.list(server, true, server.getVersionNum());
        String name = TimelineHistory.fileName(tli);
        report.add(files.contains(name) ? Check.ok("timeline history", name + " present for timeline " + tli)
                : Check.fail("timeline history", name + " is missing from " + WalDir.path(server, server.getVersionNum())
                + ": new standbys will fail with 'could not receive timeline history file'", "run fix-history " + server.getName()));
    }

    private static void alias(CommandContext ctx, Invocation call, Server server, CheckReport report) throws Exception {
        String alias = call.string("alias", null);
        if (call.has("pgbouncer")) {
            pgbouncerAlias(ctx, call, server, alias, report);
            return;
        }
        String file = call.string("file", "/etc/hosts");
        String want = call.string("address", AliasLookup.defaultAddress(server));
        // hosts: ['root@app1', ...] (each with file:) or ['root@app1': '/etc/hosts', ...] as flipAlias takes them
        Map<String, String> files = new java.util.LinkedHashMap<>();
        if (call.value("hosts") instanceof Map<?, ?> map) {
            map.forEach((h, f) -> files.put(String.valueOf(h), f == null ? file : String.valueOf(f)));
        } else {
            for (String h : call.strings("hosts")) files.put(h, file);
        }
        if (files.isEmpty()) throw new CommandException("verify: alias: needs hosts: ['root@app1', ...] or pgbouncer: url");
        for (var entry : files.entrySet()) {
            String h = entry.getKey();
            Host host = HostNames.resolve(ctx, h);
            String got;
            try {
                got = AliasLookup.resolve(host, entry.getValue(), alias);
            } catch (Exception e) {
                report.add(Check.fail("alias on " + h, "cannot check: " + e.getMessage(), "reach the host"));
                continue;
            }
            report.add(want.equals(got) ? Check.ok("alias on " + h, alias + " → " + got)
                    : Check.fail("alias on " + h, alias + " → " + got + ", expected " + want, "flipAlias '" + alias + "', to: " + server.getName() + ", hosts: [...]"));
        }
    }

    /** The PgBouncer [databases] entry {@code alias} as SHOW DATABASES has it (what RELOAD made of the file) at this server's address and port. */
    private static void pgbouncerAlias(CommandContext ctx, Invocation call, Server server, String alias, CheckReport report) {
        ConnInfo admin = ConnInfo.parse(call.string("pgbouncer", null));
        if (admin.password() != null) ctx.addSecret(admin.password());
        String want = call.string("address", server.getConnInfo().host()) + ":" + server.getPort();
        String where = "pgbouncer " + admin.host() + ":" + admin.port();
        Map<String, Object> row;
        try (PgBouncerAdmin console = PgBouncerAdmin.open(admin)) {
            row = console.database(alias);
        } catch (java.sql.SQLException | CommandException e) {
            report.add(Check.fail("alias on " + where, "cannot check: " + e.getMessage(), "reach PgBouncer's admin console"));
            return;
        }
        String got = row == null ? "(absent)" : row.get("host") + ":" + row.get("port");
        report.add(want.equals(got) ? Check.ok("alias on " + where, alias + " → " + got)
                : Check.fail("alias on " + where, alias + " → " + got + ", expected " + want,
                "flipAlias '" + alias + "', to: " + server.getName() + ", pgbouncer: url, config: '/path/pgbouncer.ini'"));
    }
}
