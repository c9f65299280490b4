package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.cutover.spi.Check;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.pg.Server;
import dev.cutover.spi.Phases;
import dev.cutover.spi.Durations;

/**
 * {@code replicate from: old, to: neu, mode: 'logical'}: the pre-flight (changing nothing), then
 * roles and schema into neu, the marker table for the proof at the cut, publication, slots and
 * subscriptions, the initial copy watched to the end, every sequence set once (the cut then sets
 * only those used since); the way back is prepared on neu before the window (wal_level = logical,
 * its publication).
 */
final class LogicalReplicate {
    record Options(LinkNames names, List<String> databases, Set<String> acknowledged, boolean replicaIdentityFull, boolean reverse,
                   Duration timeout, long diskFloor, String publisherHost, Integer publisherPort) {
    }

    private final CommandContext ctx;

    LogicalReplicate(CommandContext ctx) {
        this.ctx = ctx;
    }

    Replicated run(Server source, Server target, Options o) throws Exception {
        if (!source.isRunning()) throw CommandException.refused("replicate: " + source.getName() + " is not running; nothing was changed");
        if (!target.isRunning()) {
            throw CommandException.refused("replicate: " + target.getName() + " is not running: logical replication needs a running server of the "
                    + "new version (initdb, start it), empty of user tables; nothing was changed");
        }
        if (source.getInRecovery() || target.getInRecovery()) {
            throw CommandException.refused("replicate: both servers must be primaries (" + (source.getInRecovery() ? source : target).getName()
                    + " is in recovery); nothing was changed");
        }
        if (source.getVersionNum() < 100_000) throw CommandException.refused("replicate: " + source.getName() + " runs " + source.getVersion()
                + ": logical replication needs PostgreSQL 10 or later; use replicate (streaming) and upgrade");
        long t0 = System.nanoTime();
        List<String> databases = o.databases() != null ? o.databases() : connectable(source);
        Leftovers leftovers = ctx.session(Leftovers.class, Leftovers::new);
        try (Databases dbs = new Databases(ctx)) {
            CheckReport report = new CheckReport("replicate " + source.getName() + " → " + target.getName() + " (logical)", ctx);
            LogicalFacts facts = LogicalFacts.read(dbs, source, target, databases, o.names());
            for (Check c : LogicalPreflight.checks(facts, new LogicalPreflight.Options(o.acknowledged(), o.replicaIdentityFull(), o.reverse()))) {
                report.add(c);
            }
            report.refuseIfFailed("replicate");
            leftovers.touched(o.names(), source, target);

            Phases phases = new Phases(ctx, "replicate");
            Subscriptions subs = new Subscriptions(ctx, dbs);
            CutMarker marker = new CutMarker(ctx, dbs);
            if (o.replicaIdentityFull()) {
                phases.run("replica identity", () -> facts.perDatabase().forEach((db, d) -> {
                    List<String> all = new ArrayList<>(d.noKeyChanged());
                    all.addAll(d.noKeyInsertOnly());
                    for (String t : all) dbs.write(source, db, "alter table " + t + " replica identity full");
                }));
            }
            if (o.reverse() && !"logical".equals(facts.targetSettings().get("wal_level"))) {
                phases.run("wal_level = logical on " + target.getName() + " (the way back)", () -> {
                    target.sql("alter system set wal_level = logical");
                    dbs.forget(target);
                    target.restart();
                });
            }
            phases.run("marker table", () -> databases.forEach(db -> marker.create(source, db)));
            SchemaCopy copy = new SchemaCopy(ctx, source, target);
            phases.run("roles", copy::roles);
            List<String> existing = target.databases();
            for (String db : databases) phases.run("schema of " + db, () -> copy.schema(db, existing.contains(db)));
            Map<String, SchemaFingerprint> prints = new LinkedHashMap<>();
            if (!ctx.dryRun()) {
                phases.run("schema check", () -> {
                    for (String db : databases) {
                        SchemaFingerprint a = SchemaFingerprint.of(dbs, source, db);
                        List<String> diff = a.differences(SchemaFingerprint.of(dbs, target, db), source.getName(), target.getName());
                        if (!diff.isEmpty()) {
                            throw new CommandException("replicate: the schema copied into " + target.getName() + " (" + db + ") differs from "
                                    + source.getName() + "'s: " + String.join(", ", diff.subList(0, Math.min(10, diff.size())))
                                    + "; nothing is replicating yet: fix it (or drop: true), then replicate again");
                        }
                        prints.put(db, a);
                    }
                });
            }
            phases.run("publications", () -> {
                for (String db : databases) {
                    subs.publish(source, db, o.names().publication());
                    if (o.reverse()) subs.publish(target, db, o.names().publication());
                }
            });
            phases.run("subscriptions and slots", () -> {
                for (String db : databases) {
                    subs.subscribe(target, source, db, o.names().forward(), o.names().publication(), o.names().slot(o.names().forward(), db), true,
                            o.publisherHost(), o.publisherPort());
                }
            });
            Map<String, Duration> ready = ctx.dryRun() ? Map.of()
                    : phases.run("initial copy", () -> new InitialCopyWatch(ctx, dbs, subs).await(source, target, databases, o.names().forward(),
                    o.timeout(), o.diskFloor()));
            // Sequences set once now, while nothing is frozen: at the cut only those used since differ and are set again.
            SequenceSync sync = new SequenceSync(dbs);
            phases.run("sequences", () -> {
                for (String db : databases) sync.copy(source, target, db);
            });
            phases.run("materialized views", () -> facts.perDatabase().forEach((db, d) -> {
                for (String mv : d.matviews()) dbs.write(target, db, "refresh materialized view " + mv);
            }));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String db : databases) {
                LogicalFacts.Db d = facts.perDatabase().get(db);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("database", db);
                r.put("tables", d.tables());
                r.put("sequences", d.sequences());
                r.put("ready_after", ready.containsKey(db) ? Durations.format(ready.get(db)) : "");
                r.put("slot", o.names().slot(o.names().forward(), db));
                r.put("schema", prints.containsKey(db) ? prints.get(db).objects().size() + " objects, fingerprint " + prints.get(db).digest() : "");
                rows.add(r);
            }
            return new Replicated(source.getName(), target.getName(), databases, rows, phases.took(), o.reverse(), report.checks(),
                    Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    static List<String> connectable(Server s) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : s.sql("select datname from pg_database where datallowconn and not datistemplate order by datname")) {
            out.add(String.valueOf(r.get("datname")));
        }
        return out;
    }

    /** What replicate made: per database the tables, sequences, slot and when the copy was ready. */
    public record Replicated(String source, String target, List<String> databases, List<Map<String, Object>> rows, Map<String, Duration> phases,
                             boolean wayBackPrepared, List<Check> checks, Duration took) implements CommandResult {
        @Override
        public String summary() {
            return target + " ← " + source + ": logical replication of " + databases.size() + " database(s) (" + String.join(", ", databases)
                    + "), initial copy done, streaming; " + (wayBackPrepared ? "the way back is prepared on " + target : "no way back (reverse: false)")
                    + "; took " + Durations.format(took);
        }

        @Override
        public Duration elapsed() {
            return took;
        }

        public String getState() {
            return "streaming";
        }
    }
}
