package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 * is made now, while writes are still frozen, so it begins exactly at the cut. With {@code prepare: true},
 * before the window: the same checks, no freeze needed, nothing changed, and the connections (one
 * per server and database, their catalog caches warm) kept for the cut, so the window pays no logins.
 */
final class LogicalCut {
    record Options(boolean force, boolean reverse, Duration timeout, String publisherHost, Integer publisherPort, String largeObjects,
                   boolean prepare) {
    }

    private final CommandContext ctx;

    LogicalCut(CommandContext ctx) {
        this.ctx = ctx;
    }

    private static List<String> tables(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> String.valueOf(r.get("t"))).toList();
    }

    CommandResult run(LogicalLink link, Options o) throws Exception {
        Server from = link.publisher();
        Server to = link.subscriber();
        long t0 = System.nanoTime();
        Freezes freezes = ctx.session(Freezes.class, Freezes::new);
        if (freezes.active().isEmpty() && !o.force() && !o.prepare()) {
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
        PreparedCuts prepared = ctx.session(PreparedCuts.class, PreparedCuts::new);
        String key = from.getName() + " → " + to.getName() + " (" + link.subscription() + ")";
        Databases kept = prepared.take(key);
        Databases dbs = kept != null ? kept.use(ctx) : new Databases(ctx);
        boolean keep = false;
        try (Parallel parallel = new Parallel(2 * databases.size())) {
            Subscriptions subs = new Subscriptions(ctx, dbs);
            SequenceSync sync = new SequenceSync(dbs);
            LargeObjectCopy largeObjects = new LargeObjectCopy(dbs);
            Map<String, LargeObjectCopy.Count> fromLos = new ConcurrentHashMap<>();
            Phases phases = new Phases(ctx, "promote " + to.getName());
            // Every read of the checks, one task per server and database, all at once: each task opens its own connection (the
            // logins overlap too) and the two servers work side by side. The sequences of both sides are read here as well
            // (writes are frozen, so the source's values are final); only those that differ are set after the proof.
            Map<String, SequenceSync.Values> fromSeqs = new ConcurrentHashMap<>();
            Map<String, SequenceSync.Values> toSeqs = new ConcurrentHashMap<>();
            phases.run("checks", () -> {
                Map<String, List<String>> problems = new ConcurrentHashMap<>();
                Map<String, List<String>> sourceProblems = new ConcurrentHashMap<>();
                Map<String, SchemaFingerprint.Digest> fromDigests = new ConcurrentHashMap<>();
                Map<String, SchemaFingerprint.Digest> toDigests = new ConcurrentHashMap<>();
                Map<String, List<String>> published = new ConcurrentHashMap<>();
                Map<String, List<String>> subscribed = new ConcurrentHashMap<>();
                List<Callable<Void>> tasks = new ArrayList<>();
                List<String> freezeProblems = new java.util.concurrent.CopyOnWriteArrayList<>();
                if (!o.prepare() && !ctx.dryRun()) {
                    // The freeze is asked live, not taken on the session's word: one restored from a transcript, or a
                    // PgBouncer restarted since, would let writes reach the source after the marker.
                    tasks.add(() -> {
                        for (var f : freezes.active()) f.notInForce().ifPresent(why -> freezeProblems.add(f.id() + ": " + why));
                        return null;
                    });
                }
                for (String db : databases) {
                    tasks.add(() -> {
                        List<String> p = new ArrayList<>();
                        // A transaction prepared on the source is on the target only once committed: refuse rather than lose it.
                        // Only at the cut: with writes flowing (prepare: true) an application's two-phase commits come and go.
                        Object gids = o.prepare() ? null : dbs.value(from, db, "select string_agg(gid, ', ' order by prepared) "
                                + "from pg_prepared_xacts where database = current_database()");
                        if (gids != null) p.add(db + ": prepared transactions on " + from.getName() + " (" + gids
                                + ") are not carried until committed: COMMIT PREPARED or ROLLBACK PREPARED each first");
                        sourceProblems.put(db, p);
                        published.put(db, tables(dbs.read(from, db, "select format('%I.%I', schemaname, tablename) as t "
                                + "from pg_publication_tables where pubname = ?", names.publication())));
                        fromDigests.put(db, SchemaFingerprint.digest(dbs, from, db));
                        fromSeqs.put(db, sync.read(from, db));
                        // Their bytes (a scan of pg_largeobject) only when the answer may be a refusal that names them.
                        fromLos.put(db, largeObjects.count(from, db, o.largeObjects() == null));
                        return null;
                    });
                    tasks.add(() -> {
                        List<String> p = new ArrayList<>();
                        for (Map<String, Object> r : subs.notReady(to, db, link.subscription())) p.add(db + ":" + r.get("t") + " not yet copied");
                        Object enabled = dbs.value(to, db, "select subenabled from pg_subscription s join pg_database d on d.oid = s.subdbid "
                                + "where d.datname = current_database() and s.subname = ?", link.subscription());
                        if (!Boolean.TRUE.equals(enabled)) p.add(db + ": subscription " + link.subscription() + " is disabled");
                        problems.put(db, p);
                        subscribed.put(db, tables(dbs.read(to, db, "select format('%I.%I', n.nspname, c.relname) as t from pg_subscription_rel r "
                                + "join pg_subscription s on s.oid = r.srsubid join pg_class c on c.oid = r.srrelid "
                                + "join pg_namespace n on n.oid = c.relnamespace where s.subname = ?", link.subscription())));
                        toDigests.put(db, SchemaFingerprint.digest(dbs, to, db));
                        toSeqs.put(db, sync.read(to, db));
                        return null;
                    });
                }
                parallel.all(tasks);
                // Only where the digests differ are the per-object lists fetched, to name what differs (the window is refused then).
                List<String> differing = databases.stream().filter(db -> !fromDigests.get(db).equals(toDigests.get(db))).toList();
                Map<String, SchemaFingerprint> fromPrints = new ConcurrentHashMap<>();
                Map<String, SchemaFingerprint> toPrints = new ConcurrentHashMap<>();
                List<Callable<Void>> detail = new ArrayList<>();
                for (String db : differing) {
                    detail.add(() -> {
                        fromPrints.put(db, SchemaFingerprint.of(dbs, from, db));
                        return null;
                    });
                    detail.add(() -> {
                        toPrints.put(db, SchemaFingerprint.of(dbs, to, db));
                        return null;
                    });
                }
                parallel.all(detail);
                List<String> all = new ArrayList<>();
                if (!freezeProblems.isEmpty() && !o.force()) {
                    all.add("the freeze is not in force, so writes may reach " + from.getName() + " after the marker");
                    all.addAll(freezeProblems);
                }
                for (String db : databases) {
                    all.addAll(sourceProblems.getOrDefault(db, List.of()));
                    all.addAll(problems.getOrDefault(db, List.of()));
                    // A table created after the link (on both sides, so the schemas match) is published but was never added to the
                    // subscription: PostgreSQL applies nothing for it until REFRESH PUBLICATION, so "every table copied" would be false.
                    java.util.Set<String> inSubscription = new java.util.HashSet<>(subscribed.get(db));
                    List<String> unsubscribed = published.get(db).stream().filter(t -> !inSubscription.contains(t)).toList();
                    if (!unsubscribed.isEmpty()) {
                        all.add(db + ": " + String.join(", ", unsubscribed) + " published by " + from.getName() + " but not in subscription "
                                + link.subscription() + " (created after the link): on " + to.getName() + " run ALTER SUBSCRIPTION "
                                + Subscriptions.ident(link.subscription()) + " REFRESH PUBLICATION and let it copy");
                    }
                    if (!differing.contains(db)) continue;
                    List<String> diff = fromPrints.get(db).differences(toPrints.get(db), from.getName(), to.getName());
                    if (diff.isEmpty()) diff = List.of("the schema digests differ (" + fromDigests.get(db) + " vs " + toDigests.get(db) + ")");
                    diff.subList(0, Math.min(20, diff.size())).forEach(d -> all.add(db + ": " + d));
                }
                if (!all.isEmpty()) {
                    throw CommandException.refused("promote refused: " + String.join("; ", all) + " — nothing was changed; "
                            + "unfreeze to back out (make the schemas equal or let the copy finish, then promote in a new window)");
                }
            });
            List<String> withLos = databases.stream().filter(db -> fromLos.get(db).objects() > 0).toList();
            if (!withLos.isEmpty() && o.largeObjects() == null) {
                throw CommandException.refused("promote refused: " + from.getName() + " holds large objects, which logical replication "
                        + "does not carry: " + String.join(", ", withLos.stream().map(db -> db + " (" + fromLos.get(db).describe() + ")").toList())
                        + " — nothing was changed. Pass largeObjects: 'copy' to copy them now, while writes are frozen (the window grows "
                        + "with their size), or largeObjects: 'skip' when you carry them yourself");
            }
            if (o.prepare()) {
                prepared.keep(key, dbs);
                keep = true;
                return new Prepared(from.getName(), to.getName(), databases, fromLos.values().stream().mapToLong(LargeObjectCopy.Count::objects).sum(),
                        Duration.ofNanos(System.nanoTime() - t0));
            }
            Map<String, CutMarker.Proof> proofs = phases.run("proof", () -> new CutMarker(ctx, dbs).prove(from, to, databases,
                    "cut " + from.getName() + " → " + to.getName(), o.timeout()));
            Map<String, SequenceSync.Synced> sequences = new ConcurrentHashMap<>();
            phases.run("sequences", () -> parallel.each(databases, db -> sequences.put(db, sync.set(to, db, fromSeqs.get(db), toSeqs.get(db)))));
            Map<String, String> copiedLos = new ConcurrentHashMap<>();
            if ("copy".equals(o.largeObjects()) && !withLos.isEmpty()) {
                phases.run("large objects", () -> parallel.each(withLos, db -> {
                    Long copied = largeObjects.copy(from, to, db);
                    copiedLos.put(db, copied == null ? fromLos.get(db).objects() + " would be copied (dry run)" : copied + " copied");
                }));
            } else {
                withLos.forEach(db -> copiedLos.put(db, fromLos.get(db).objects() + " NOT copied (largeObjects: 'skip')"));
            }
            List<String> detached = Collections.synchronizedList(new ArrayList<>());
            // Per database: the forward subscription is dropped (its apply worker stopped) before that database's slot for the way
            // back is made, so the slot decodes nothing the forward apply wrote (PostgreSQL 15 has no origin = none).
            phases.run("stop " + link.subscription(), () -> parallel.each(databases, db -> {
                String note = subs.unsubscribe(to, db, link.subscription());
                if (note != null) detached.add(note);
            }));
            Map<String, String> wayBack = new ConcurrentHashMap<>();
            if (o.reverse()) {
                phases.run("way back", () -> parallel.each(databases, db -> {
                    subs.publish(to, db, names.publication());
                    String slot = names.slot(back, db);
                    String[] at = subs.slot(to, db, slot);
                    subs.subscribe(from, to, db, back, names.publication(), slot, false, false, o.publisherHost(), o.publisherPort());
                    wayBack.put(db, "slot " + slot + " on " + to.getName() + " from " + at[0] + " (cut at " + at[1] + ")");
                }));
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
                r.put("sequences_set", s == null ? "" : s.describe());
                r.put("large_objects", copiedLos.getOrDefault(db, "none"));
                r.put("way_back", wayBack.getOrDefault(db, o.reverse() ? "" : "none (reverse: false)"));
                rows.add(r);
            }
            return new Cut(from.getName(), to.getName(), rows, phases.took(), o.reverse() ? back : null, detached,
                    Duration.ofNanos(System.nanoTime() - t0));
        } finally {
            if (!keep) dbs.close();
        }
    }

    /** {@code promote ..., prepare: true}: the cut's checks passed before the window; its connections wait for it. */
    public record Prepared(String from, String to, List<String> databases, long largeObjects, Duration took) implements CommandResult {
        @Override
        public String summary() {
            return "ready to cut " + from + " → " + to + ": every table copied, subscriptions enabled, schemas equal in " + databases.size()
                    + " database(s)" + (largeObjects > 0 ? ", " + largeObjects + " large object(s) to copy or skip" : "")
                    + "; nothing was changed; " + 2 * databases.size() + " connections kept open for the window (checked "
                    + Durations.format(took) + ")";
        }

        @Override
        public Duration elapsed() {
            return took;
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

    /**
     * Work of the cut that runs on several connections at once (one task per server and database, so
     * no connection is used by two threads). Waits for every task, then rethrows the first failure.
     */
    static final class Parallel implements AutoCloseable {
        private final ExecutorService pool;

        Parallel(int threads) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
                Thread t = new Thread(r, "cutover-cut-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        interface PerDatabase {
            void run(String db) throws Exception;
        }

        void each(List<String> databases, PerDatabase body) throws Exception {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (String db : databases) {
                tasks.add(() -> {
                    body.run(db);
                    return null;
                });
            }
            all(tasks);
        }

        void all(List<Callable<Void>> tasks) throws Exception {
            if (tasks.isEmpty()) return;
            if (tasks.size() == 1) {
                tasks.get(0).call();
                return;
            }
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> t : tasks) futures.add(pool.submit(t));
            Exception first = null;
            for (Future<Void> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof Exception x ? x : new CommandException(String.valueOf(e.getCause()), e.getCause());
                }
            }
            if (first != null) throw first;
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
