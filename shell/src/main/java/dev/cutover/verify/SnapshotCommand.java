package dev.cutover.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.spi.OptionSpec;
import dev.cutover.pg.Server;
import dev.cutover.freeze.ClosedDatabases;
import dev.cutover.freeze.Freezes;
import dev.cutover.pg.DbKey;
import dev.cutover.spi.Durations;

/**
 * {@code snap = snapshot old}: the evidence {@code verify} compares against after the cutover.
 * Take it while writes are frozen (or on a stopped-writes standby) so that equal means equal.
 */
public final class SnapshotCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("snapshot",
            "per-table row counts and content hashes, materialized views, large objects, sequences, extensions, roles: evidence for verify",
            "snap = snapshot old",
            OptionSpec.of("tables", "'all' (default) or a list of tables"),
            OptionSpec.of("databases", "a list of databases (default: every one but the templates; one closed to connections is refused, not skipped)"),
            OptionSpec.of("rows", "'hash' (default): count and content hash; 'count': a quick count only"),
            OptionSpec.of("jobs", "parallel connections (default: the host's cores)"));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    /** The snapshot as a result: its tables as rows; Groovy reads its fields (snap.tables). */
    public record Taken(Snapshot snapshot, Duration took) implements CommandResult {
        @Override
        public String summary() {
            long rows = snapshot.tables().values().stream().mapToLong(Snapshot.TableStat::rows).sum();
            return "snapshot of " + snapshot.server() + ": " + snapshot.tables().size() + " tables, " + rows + " rows"
                    + (snapshot.mode().equals("count") ? " (counted)" : " (counted and hashed)") + ", " + snapshot.matviews().size()
                    + " materialized views, " + snapshot.unlogged().size() + " unlogged and " + snapshot.foreign().size() + " foreign tables, "
                    + snapshot.largeObjects().values().stream().mapToLong(Snapshot.TableStat::rows).sum() + " large objects, " + snapshot.sequences().size()
                    + " sequences, " + snapshot.extensions().size() + " extensions, " + snapshot.roles().size() + " roles in " + Durations.format(took);
        }

        @Override
        public List<Map<String, Object>> rows() {
            List<Map<String, Object>> rows = new ArrayList<>();
            snapshot.tables().forEach((t, s) -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("table", t);
                r.put("rows", s.rows());
                r.put("hash", s.hash());
                rows.add(r);
            });
            return rows;
        }

        @Override
        public Duration elapsed() {
            return took;
        }

        public Map<String, Snapshot.TableStat> getTables() {
            return snapshot.tables();
        }
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        if (!(call.arg(0) instanceof Server server)) throw new CommandException("snapshot: which server? snap = snapshot old");
        long t0 = System.nanoTime();
        String mode = call.string("rows", "hash");
        if (!mode.equals("hash") && !mode.equals("count")) throw new CommandException("snapshot: rows: '" + mode + "' is not 'hash' or 'count'");
        // One name or a list; an empty list would make a snapshot of nothing that verify then calls equal.
        if (call.has("databases") && call.strings("databases").isEmpty()) {
            throw new CommandException("snapshot: databases: names no database; leave it out to cover every database");
        }
        if (call.has("tables") && call.strings("tables").isEmpty()) {
            throw new CommandException("snapshot: tables: names no table; leave it out to cover every table");
        }
        List<String> databases = call.has("databases") ? call.strings("databases")
                : server.databasesWithAccess().keySet().stream().filter(d -> !d.equals("template1")).toList();
        refuseClosed(ctx, server, databases);
        int jobs = call.number("jobs", server.cores(), 1, 256);
        List<TableHasher.Relation> relations;
        try {
            relations = TableHasher.relations(server, databases, call.has("tables") ? call.strings("tables") : null);
        } catch (CommandException e) {
            throw new CommandException("snapshot: " + e.getMessage());
        }
        boolean countOnly = mode.equals("count");
        // Inside a freeze, nothing is written after it; verify says so when a snapshot was taken while writes flowed.
        boolean frozen = !ctx.session(Freezes.class, Freezes::new).active().isEmpty();
        var stats = TableHasher.hash(ctx, server, keys(relations, TableHasher.Kind.TABLE), countOnly, jobs);
        var unlogged = TableHasher.hash(ctx, server, keys(relations, TableHasher.Kind.UNLOGGED), countOnly, jobs);
        Map<String, Snapshot.TableStat> matviews = new java.util.TreeMap<>(TableHasher.hash(ctx, server,
                relations.stream().filter(r -> r.kind() == TableHasher.Kind.MATVIEW && r.populated()).map(TableHasher.Relation::key).toList(), countOnly, jobs));
        relations.stream().filter(r -> r.kind() == TableHasher.Kind.MATVIEW && !r.populated()).forEach(r -> matviews.put(r.key(), Snapshot.TableStat.NOT_POPULATED));
        Snapshot snap = new Snapshot(server.getName(), Instant.now(), mode, stats, sequences(server, databases), extensions(server, databases),
                roles(server), databases, settings(server), matviews, TableHasher.largeObjects(server, databases), unlogged,
                keys(relations, TableHasher.Kind.FOREIGN), frozen);
        ctx.session(Snapshots.class, Snapshots::new).add(snap);
        ctx.event(RecordedEvent.SNAPSHOT, snap.toMap());
        return new Taken(snap, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** A snapshot that leaves out a database it cannot enter would let verify pass over it: refuse instead. */
    private static void refuseClosed(CommandContext ctx, Server server, List<String> databases) {
        List<ClosedDatabases.Closed> closed = ClosedDatabases.among(ctx, server, databases);
        if (closed.isEmpty()) return;
        throw CommandException.refused("snapshot refused: " + server.getName() + "'s database " + ClosedDatabases.describe(closed)
                + " does not allow connections, so its tables cannot be counted or hashed; nothing was recorded. "
                + (ClosedDatabases.byOwnFreeze(closed) ? "Snapshot before freezing with no-connections, or freeze with mode: 'read-only' (or pgbouncer:) instead"
                : "Open it (" + ClosedDatabases.openSql(closed) + "), or name the databases to cover with databases: [...]"));
    }

    static List<String> keys(List<TableHasher.Relation> relations, TableHasher.Kind kind) {
        return relations.stream().filter(r -> r.kind() == kind).map(TableHasher.Relation::key).toList();
    }

    static Map<String, Long> sequences(Server server, List<String> databases) {
        Map<String, Long> m = new java.util.TreeMap<>();
        if (server.getVersionNum() < 100_000) return m;
        for (String db : databases) {
            for (Map<String, Object> r : server.sqlIn(db, "select format('%I.%I', schemaname, sequencename) as s, last_value from pg_sequences")) {
                m.put(DbKey.of(db, String.valueOf(r.get("s"))), r.get("last_value") == null ? null : ((Number) r.get("last_value")).longValue());
            }
        }
        return m;
    }

    static Map<String, String> extensions(Server server, List<String> databases) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String db : databases) {
            for (Map<String, Object> r : server.sqlIn(db, "select extname, extversion from pg_extension")) {
                m.put(DbKey.of(db, String.valueOf(r.get("extname"))), String.valueOf(r.get("extversion")));
            }
        }
        return m;
    }

    static List<String> roles(Server server) {
        List<String> roles = new ArrayList<>();
        for (Map<String, Object> r : server.sql("select rolname from pg_roles where rolname !~ '^pg_' order by 1")) roles.add(String.valueOf(r.get("rolname")));
        return roles;
    }

    static Map<String, String> settings(Server server) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map<String, Object> r : server.sql("select name, setting from pg_settings where name in ('server_encoding', 'lc_collate', 'lc_ctype', "
                + "'data_checksums', 'TimeZone', 'max_connections', 'shared_preload_libraries', 'standard_conforming_strings') order by name")) {
            m.put(String.valueOf(r.get("name")), String.valueOf(r.get("setting")));
        }
        return m;
    }

    /** Snapshots of the earlier run stay the evidence a later verify compares against. */
    @Override
    public void resume(List<RecordedEvent> recorded, CommandContext ctx) {
        Snapshots snapshots = ctx.session(Snapshots.class, Snapshots::new);
        for (RecordedEvent e : recorded) {
            if (RecordedEvent.SNAPSHOT.equals(e.type())) snapshots.add(Snapshot.fromMap(e.data()));
        }
    }
}
