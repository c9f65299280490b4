package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.freeze.Freezes;
import dev.cutover.pg.Server;
import dev.cutover.spi.Phases;
import dev.cutover.spi.Durations;

/**
 * {@code promote to, from: from} on a logical link, inside a freeze: every table ready, both schemas
 * equal, then the proof (a marker committed on {@code from} after the freeze, seen on {@code to}),
 * every sequence set, the subscription dropped, and unless {@code reverse: false} the way back
 * started: a subscription on {@code from} to {@code to}'s publication, without copying, whose slot
 * is made now, while writes are still frozen, so it begins exactly at the cut.
 */
final class LogicalCut {
    record Options(boolean force, boolean reverse, Duration timeout, String publisherHost, Integer publisherPort) {
    }

    private final CommandContext ctx;

    LogicalCut(CommandContext ctx) {
        this.ctx = ctx;
    }

    Cut run(LogicalLink link, Options o) throws Exception {
        Server from = link.publisher();
        Server to = link.subscriber();
        long t0 = System.nanoTime();
        Freezes freezes = ctx.session(Freezes.class, Freezes::new);
        if (freezes.active().isEmpty() && !o.force()) {
            throw CommandException.refused("promote refused: writes are not frozen, so applications may still be writing to " + from.getName()
                    + " and a marker would prove nothing; nothing was changed. freeze first (f = freeze ...), or pass force: true");
        }
        if (!from.isRunning()) {
            throw CommandException.refused("promote refused: " + from.getName() + " is not running, so no marker can prove what "
                    + to.getName() + " applied; nothing was changed. Start it and promote again");
        }
        ctx.session(Leftovers.class, Leftovers::new).touched(link.names(), from, to);
        LinkNames names = link.names();
        List<String> databases = link.databases();
        String back = names.opposite(link.subscription());
        try (Databases dbs = new Databases(ctx)) {
            Subscriptions subs = new Subscriptions(ctx, dbs);
            Phases phases = new Phases(ctx, "promote " + to.getName());
            phases.run("checks", () -> {
                List<String> problems = new ArrayList<>();
                // The source's fingerprints are read on another thread while this one reads the target's: two servers,
                // two connections, and the time of the window's longest check (it grows with the schema) about halves.
                CompletableFuture<Map<String, SchemaFingerprint>> fromPrints = CompletableFuture.supplyAsync(() -> {
                    Map<String, SchemaFingerprint> m = new LinkedHashMap<>();
                    for (String db : databases) m.put(db, SchemaFingerprint.of(dbs, from, db));
                    return m;
                });
                Map<String, SchemaFingerprint> toPrints = new LinkedHashMap<>();
                try {
                    for (String db : databases) {
                        for (Map<String, Object> r : subs.notReady(to, db, link.subscription())) problems.add(db + ":" + r.get("t") + " not yet copied");
                        Object enabled = dbs.value(to, db, "select subenabled from pg_subscription s join pg_database d on d.oid = s.subdbid "
                                + "where d.datname = current_database() and s.subname = ?", link.subscription());
                        if (!Boolean.TRUE.equals(enabled)) problems.add(db + ": subscription " + link.subscription() + " is disabled");
                        toPrints.put(db, SchemaFingerprint.of(dbs, to, db));
                    }
                } finally {
                    try {
                        fromPrints.join();
                    } catch (CompletionException ignored) {
                        // reported below, after this thread's own failure (if any) propagates
                    }
                }
                Map<String, SchemaFingerprint> fromMap;
                try {
                    fromMap = fromPrints.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw e;
                }
                for (String db : databases) {
                    List<String> diff = fromMap.get(db).differences(toPrints.get(db), from.getName(), to.getName());
                    diff.subList(0, Math.min(20, diff.size())).forEach(d -> problems.add(db + ": " + d));
                }
                if (!problems.isEmpty()) {
                    throw CommandException.refused("promote refused: " + String.join("; ", problems) + " — nothing was changed; "
                            + "unfreeze to back out (make the schemas equal or let the copy finish, then promote in a new window)");
                }
            });
            Map<String, CutMarker.Proof> proofs = phases.run("proof", () -> new CutMarker(ctx, dbs).prove(from, to, databases,
                    "cut " + from.getName() + " → " + to.getName(), o.timeout()));
            SequenceSync sync = new SequenceSync(dbs);
            Map<String, SequenceSync.Synced> sequences = new LinkedHashMap<>();
            phases.run("sequences", () -> {
                for (String db : databases) sequences.put(db, sync.copy(from, to, db));
            });
            List<String> detached = new ArrayList<>();
            phases.run("stop " + link.subscription(), () -> {
                for (String db : databases) {
                    String note = subs.unsubscribe(to, db, link.subscription());
                    if (note != null) detached.add(note);
                }
            });
            Map<String, String> wayBack = new LinkedHashMap<>();
            if (o.reverse()) {
                phases.run("way back", () -> {
                    String cutLsn = String.valueOf(to.value("select " + to.pgVersion().currentLsnFunction() + "::text"));
                    for (String db : databases) {
                        subs.publish(to, db, names.publication());
                        subs.subscribe(from, to, db, back, names.publication(), names.slot(back, db), false, o.publisherHost(), o.publisherPort());
                        Object start = dbs.value(to, db, "select confirmed_flush_lsn::text from pg_replication_slots where slot_name = ?", names.slot(back, db));
                        wayBack.put(db, "slot " + names.slot(back, db) + " on " + to.getName() + " from " + start + " (cut at " + cutLsn + ")");
                    }
                });
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String db : databases) {
                Map<String, Object> r = new LinkedHashMap<>();
                CutMarker.Proof p = proofs.get(db);
                SequenceSync.Synced s = sequences.get(db);
                r.put("database", db);
                r.put("marker", p == null ? "" : p.token());
                r.put("source_lsn", p == null ? "" : p.sourceLsn());
                r.put("seen_after", p == null ? "" : Durations.format(p.applied()));
                r.put("sequences_set", s == null ? "" : s.set() + " of " + s.total());
                r.put("way_back", wayBack.getOrDefault(db, o.reverse() ? "" : "none (reverse: false)"));
                rows.add(r);
            }
            return new Cut(from.getName(), to.getName(), rows, phases.took(), o.reverse() ? back : null, detached,
                    Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /** What the cut did: the proof per database, sequences, the way back, and the time of each part. */
    public record Cut(String from, String to, List<Map<String, Object>> rows, Map<String, Duration> phases, String wayBack, List<String> notes,
                      Duration took) implements CommandResult {
        @Override
        public String summary() {
            StringBuilder sb = new StringBuilder(to + " is the primary: every database's marker, committed on " + from
                    + " after the freeze, was applied on " + to + "; sequences set; subscription dropped");
            sb.append(wayBack != null ? "; the way back runs: " + from + " subscribes to " + to + " (" + wayBack + ") from the cut on — promote "
                    + from + ", from: " + to + " returns without losing what " + to + " commits" : "; no way back (reverse: false)");
            sb.append("; took ").append(Durations.format(took)).append(" (");
            List<String> parts = new ArrayList<>();
            phases.forEach((k, v) -> parts.add(k + " " + Durations.format(v)));
            sb.append(String.join(", ", parts)).append(")");
            notes.forEach(n -> sb.append("; ").append(n));
            return sb.toString();
        }

        @Override
        public Duration elapsed() {
            return took;
        }
    }
}
