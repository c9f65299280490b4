package dev.cutover.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.cutover.spi.Check;

/**
 * The rules of the logical pre-flight, pure: facts in, checks out. Each failing check says what
 * it saw and the exact fix; the things logical replication silently does not carry (tables
 * without a key, large objects) refuse unless the operator acknowledged them by name.
 */
final class LogicalPreflight {
    /** Names operators pass in {@code acknowledge: [...]}. */
    static final String NO_KEY = "no-key";
    static final String LARGE_OBJECTS = "large-objects";
    static final String DISK = "disk";
    static final long MIN_FREE = 1L << 30;

    record Options(Set<String> acknowledged, boolean replicaIdentityFull, boolean reverse) {
    }

    private LogicalPreflight() {
    }

    static List<Check> checks(LogicalFacts f, Options o) {
        List<Check> out = new ArrayList<>();
        int n = f.databases().size();
        String src = f.source();
        String dst = f.target();

        String wal = f.sourceSettings().get("wal_level");
        out.add("logical".equals(wal) ? Check.ok("wal_level on " + src, "logical")
                : Check.fail("wal_level on " + src, wal + " (logical decoding needs logical)",
                "ALTER SYSTEM SET wal_level = logical; then restart " + src + " (the setting needs a restart: plan it before the window)"));
        if (o.reverse()) {
            String back = f.targetSettings().get("wal_level");
            out.add("logical".equals(back) ? Check.ok("wal_level on " + dst + " (way back)", "logical")
                    : Check.warn("wal_level on " + dst + " (way back)", back + ": will be set to logical and " + dst
                    + " restarted now, while it serves nothing", null));
        }

        // The publisher: one slot and one sender per database, plus the table-sync workers' slots during the copy.
        int sync = Math.max(0, Math.min(n * f.setting(false, "max_sync_workers_per_subscription"),
                f.setting(false, "max_logical_replication_workers") - n));
        capacity(out, src, "replication slots", f.setting(true, "max_replication_slots") - f.sourceSlotsUsed(), n, n + sync, "max_replication_slots");
        capacity(out, src, "wal senders", f.setting(true, "max_wal_senders") - f.sourceSendersUsed(), n, n + sync, "max_wal_senders");
        // The subscriber: one apply worker per database (per subscription), plus the sync workers; origins count against slots.
        subscriber(out, f, false, n, sync);
        if (o.reverse()) {
            capacity(out, dst + " (way back)", "replication slots", f.setting(false, "max_replication_slots") - f.targetSlotsUsed(), n, n,
                    "max_replication_slots");
            capacity(out, dst + " (way back)", "wal senders", f.setting(false, "max_wal_senders") - f.targetSendersUsed(), n, n, "max_wal_senders");
            subscriber(out, f, true, n, 0);
        }

        out.add(f.existingSubscriptions().isEmpty() ? Check.ok("existing link", "none")
                : Check.fail("existing link", "subscriptions already there: " + String.join(", ", f.existingSubscriptions()),
                "replicate from: " + src + ", to: " + dst + ", mode: 'logical', drop: true removes them; then replicate again"));

        List<String> notEmpty = new ArrayList<>();
        f.targetUserTables().forEach((db, count) -> {
            if (count > 0) notEmpty.add(db + " (" + count + " tables)");
        });
        out.add(notEmpty.isEmpty() ? Check.ok("target empty", dst + " has no user tables in " + String.join(", ", f.databases()))
                : Check.fail("target empty", dst + " already holds user tables: " + String.join(", ", notEmpty),
                "the initial copy needs empty tables: use a fresh cluster (initdb) of the new version"));

        List<String> changed = new ArrayList<>();
        List<String> insertOnly = new ArrayList<>();
        List<String> missingExt = new ArrayList<>();
        List<String> lo = new ArrayList<>();
        List<String> unlogged = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        List<String> matviews = new ArrayList<>();
        long sequences = 0, owned = 0, tables = 0;
        for (Map.Entry<String, LogicalFacts.Db> e : f.perDatabase().entrySet()) {
            String db = e.getKey();
            LogicalFacts.Db d = e.getValue();
            d.noKeyChanged().forEach(t -> changed.add(db + ":" + t));
            d.noKeyInsertOnly().forEach(t -> insertOnly.add(db + ":" + t));
            d.extensions().keySet().stream().filter(x -> !f.targetExtensions().contains(x)).forEach(x -> missingExt.add(db + ":" + x));
            if (d.largeObjects() > 0) lo.add(db + " (" + d.largeObjects() + ")");
            d.unlogged().forEach(t -> unlogged.add(db + ":" + t));
            d.foreign().forEach(t -> foreign.add(db + ":" + t));
            d.matviews().forEach(t -> matviews.add(db + ":" + t));
            sequences += d.sequences();
            owned += d.ownedSequences();
            tables += d.tables();
        }
        out.add(Check.ok("tables", tables + " in " + n + " database(s): " + String.join(", ", f.databases())));
        String fix = "give each a primary key or ALTER TABLE ... REPLICA IDENTITY FULL (replicaIdentityFull: true does it for these tables), "
                + "or acknowledge: ['" + NO_KEY + "'] if nothing will UPDATE or DELETE them";
        if (!changed.isEmpty()) {
            String what = changed.size() + " table(s) without primary key or replica identity receive UPDATE/DELETE, which fail on "
                    + src + " once published: " + String.join(", ", changed);
            out.add(o.replicaIdentityFull() ? Check.warn("tables without key", what + " — REPLICA IDENTITY FULL will be set on them", null)
                    : o.acknowledged().contains(NO_KEY) ? Check.warn("tables without key", what + " (acknowledged)", null)
                    : Check.fail("tables without key", what, fix));
        }
        if (!insertOnly.isEmpty()) {
            out.add(Check.warn("tables without key", insertOnly.size() + " table(s) without key saw no UPDATE/DELETE since statistics were reset: "
                    + String.join(", ", insertOnly) + (o.replicaIdentityFull() ? " — REPLICA IDENTITY FULL will be set on them"
                    : "; an UPDATE or DELETE on them would fail on " + src + " once published"), o.replicaIdentityFull() ? null : fix));
        }
        if (changed.isEmpty() && insertOnly.isEmpty()) out.add(Check.ok("tables without key", "none: every table has a key or replica identity"));

        out.add(lo.isEmpty() ? Check.ok("large objects", "none")
                : o.acknowledged().contains(LARGE_OBJECTS) ? Check.warn("large objects", String.join(", ", lo)
                + ": NOT carried by logical replication (acknowledged): promote copies them at the cut with largeObjects: 'copy'", null)
                : Check.fail("large objects", String.join(", ", lo) + ": logical replication does not carry them",
                "move them into bytea columns, or acknowledge: ['" + LARGE_OBJECTS + "'] and let promote copy them at the cut "
                + "(largeObjects: 'copy', while writes are frozen) or carry them yourself"));
        out.add(Check.ok("sequences", sequences + " (" + owned + " owned by a column, " + (sequences - owned)
                + " not): every one is set on " + dst + " at the cut"));
        out.add(missingExt.isEmpty() ? Check.ok("extensions", "every installed extension is available on " + dst)
                : Check.fail("extensions", "not available on " + dst + ": " + String.join(", ", missingExt),
                "install their packages for " + dst + "'s version (the citext lesson)"));
        if (!unlogged.isEmpty()) out.add(Check.warn("unlogged tables", "not replicated, arrive empty: " + String.join(", ", unlogged), null));
        if (!foreign.isEmpty()) out.add(Check.warn("foreign tables", "not replicated (their data lives elsewhere): " + String.join(", ", foreign), null));
        if (!matviews.isEmpty()) out.add(Check.warn("materialized views", "not replicated: refreshed on " + dst + " after the initial copy: "
                + String.join(", ", matviews), null));

        if (f.sourceFreeDisk() == null) {
            out.add(o.acknowledged().contains(DISK) ? Check.warn("free disk on " + src, "could not look: " + f.sourceDiskProblem() + " (acknowledged)", null)
                    : Check.fail("free disk on " + src, "could not look: " + f.sourceDiskProblem(),
                    "connect " + src + " with ssh: so its disk can be watched, or acknowledge: ['" + DISK + "']"));
        } else {
            long free = f.sourceFreeDisk();
            String detail = free + " bytes free under pg_wal; the slots hold WAL written during the initial copy (databases " + f.sourceSize() + " bytes)";
            out.add(free < MIN_FREE ? Check.fail("free disk on " + src, detail, "free space on " + src + "'s WAL disk (at least 1 GiB)")
                    : free < f.sourceSize() ? Check.warn("free disk on " + src, detail + "; the copy stops if free space falls below 1 GiB", null)
                    : Check.ok("free disk on " + src, detail));
        }
        return out;
    }

    private static void subscriber(List<Check> out, LogicalFacts f, boolean onSource, int n, int sync) {
        String who = onSource ? f.source() + " (way back)" : f.target();
        int workers = f.setting(onSource, "max_logical_replication_workers");
        out.add(workers >= n + sync ? Check.ok(who + " logical replication workers", workers + " for " + n + " subscription(s)" + (sync > 0 ? " + " + sync + " copying" : ""))
                : workers >= n ? Check.warn(who + " logical replication workers", workers + " for " + n + " subscription(s): tables are copied fewer at a time", null)
                : Check.fail(who + " logical replication workers", workers + " for " + n + " subscription(s)",
                "ALTER SYSTEM SET max_logical_replication_workers = " + (n + Math.max(sync, 2)) + " on " + who + " and restart it"));
        int procs = f.setting(onSource, "max_worker_processes");
        out.add(procs > Math.min(workers, n + sync) ? Check.ok(who + " worker processes", String.valueOf(procs))
                : Check.fail(who + " worker processes", procs + ": too few for " + (n + sync) + " replication workers and the launcher",
                "ALTER SYSTEM SET max_worker_processes = " + (n + sync + 4) + " on " + who + " and restart it"));
        int origins = f.setting(onSource, "max_replication_slots");
        out.add(origins >= n ? Check.ok(who + " replication origins", origins + " (max_replication_slots)")
                : Check.fail(who + " replication origins", origins + " (max_replication_slots) for " + n + " subscription(s)",
                "ALTER SYSTEM SET max_replication_slots = " + (n + 2) + " on " + who + " and restart it"));
    }

    private static void capacity(List<Check> out, String who, String what, long free, int need, int want, String setting) {
        String name = "free " + what + " on " + who;
        if (free >= want) out.add(Check.ok(name, free + " (need " + want + ")"));
        else if (free >= need) out.add(Check.warn(name, free + ": enough for the link, tables are copied fewer at a time", null));
        else out.add(Check.fail(name, free + ", need " + need, "raise " + setting + " on " + who + " and restart it, or drop unused slots"));
    }
}
