package dev.cutover.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Check;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.CommandContext;
import dev.cutover.pg.Server;
import dev.cutover.pg.DbKey;

/**
 * verify's comparison of a server's content with a snapshot: every table, materialized view and
 * unlogged table by row count and content hash, each database's large objects, foreign tables by
 * presence. A relation that is missing, or that cannot be read, fails; nothing passes unseen.
 */
final class ContentChecks {
    private ContentChecks() {
    }

    /** The checks of tables, materialized views, large objects, unlogged and foreign tables against the snapshot. */
    static void add(CommandContext ctx, Server server, Snapshot snap, List<String> dbs, boolean countOnly, int jobs, CheckReport report)
            throws InterruptedException {
        List<TableHasher.Relation> relations = TableHasher.relations(server, dbs, null);
        String what = countOnly ? "row counts" : "row counts and content hashes";

        // A snapshot by an older cutover recorded the marker table too: it is left out here as well.
        List<String> keys = inDatabases(snap.tables().keySet(), dbs).stream().filter(k -> !TableHasher.isMarker(k)).toList();
        List<String> differ = described(compare(ctx, server, snap.tables(), keys, existing(relations, TableHasher.Kind.TABLE), countOnly, jobs));
        List<String> markers = relations.stream().filter(r -> r.kind() == TableHasher.Kind.MARKER).map(TableHasher.Relation::key).toList();
        String notCompared = markers.isEmpty() ? "" : " (not compared: " + String.join(", ", markers)
                + ", cutover's own proof of the logical cut, written after the snapshot)";
        report.add(differ.isEmpty() ? Check.ok("tables", keys.size() + " tables: " + what + " equal the snapshot of " + snap.server() + notCompared)
                : Check.fail("tables", differ.size() + " of " + keys.size() + " differ from the snapshot of " + snap.server() + ": " + String.join(", ", differ),
                "find what was written after the snapshot, or what the copy missed"));

        if (snap.matviews() == null) {
            report.add(Check.warn("materialized views", "not compared: the snapshot of " + snap.server() + " did not record them (an older cutover took it)",
                    "take a new snapshot to compare them"));
        } else {
            List<String> views = inDatabases(snap.matviews().keySet(), dbs);
            Map<String, Boolean> present = existing(relations, TableHasher.Kind.MATVIEW);
            Map<String, String> changed = compare(ctx, server, snap.matviews(), views, present, countOnly, jobs);
            // A dump refreshes materialized views: one the old server had not refreshed since its tables changed comes back
            // different. With every table it reads compared and equal, a view that now equals its own query is what REFRESH
            // would have made there. One that reads anything not compared equal above (a table left out of the snapshot, a
            // view, an unlogged or foreign table) stays a difference: its query over unproven tables proves nothing.
            Map<String, String> stale = new java.util.LinkedHashMap<>();
            java.util.Set<String> comparedEqual = new java.util.HashSet<>(keys);
            views.stream().filter(v -> !changed.containsKey(v)).forEach(comparedEqual::add);
            if (differ.isEmpty() && !countOnly) {
                for (String key : List.copyOf(changed.keySet())) {
                    if (!Boolean.TRUE.equals(present.get(key)) || !snap.matviews().get(key).populated()) continue;
                    if (!comparedEqual.containsAll(TableHasher.readBy(server, key))) continue;
                    Snapshot.TableStat now = TableHasher.hash(ctx, server, List.of(key), false, 1).get(key);
                    if (now.equals(TableHasher.definition(server, key))) stale.put(key, changed.remove(key));
                }
            }
            if (!changed.isEmpty()) {
                report.add(Check.fail("materialized views", changed.size() + " of " + views.size() + " differ from the snapshot of " + snap.server() + ": "
                        + String.join(", ", described(changed)), "REFRESH MATERIALIZED VIEW where the snapshot had data, or find what the copy missed"));
            } else if (!stale.isEmpty()) {
                report.add(Check.warn("materialized views", stale.size() + " of " + views.size() + " were stale on " + snap.server()
                        + " (not refreshed since their tables changed) and were refreshed by the copy: each now equals its own query over the "
                        + "tables verified above: " + String.join(", ", described(stale)) + "; the other " + (views.size() - stale.size()) + " equal the snapshot",
                        "nothing to fix if the application expects current data; a REFRESH on " + snap.server() + " would have given the same"));
            } else {
                report.add(Check.ok("materialized views", views.size() + " materialized views: populated state, " + what + " equal"));
            }
        }
        largeObjects(server, snap, dbs, report);
        unlogged(ctx, server, snap, dbs, relations, countOnly, jobs, report);
        if (snap.foreign() != null) {
            List<String> foreign = inDatabases(snap.foreign(), dbs);
            Map<String, Boolean> present = existing(relations, TableHasher.Kind.FOREIGN);
            List<String> missing = foreign.stream().filter(k -> !present.containsKey(k)).toList();
            if (!missing.isEmpty()) {
                report.add(Check.fail("foreign tables", "missing: " + String.join(", ", missing), "CREATE FOREIGN TABLE them (and their servers and user mappings)"));
            } else if (!foreign.isEmpty()) {
                report.add(Check.ok("foreign tables", foreign.size() + " present (their data lives on the foreign server and is not compared): "
                        + String.join(", ", foreign)));
            }
        } else {
            report.add(Check.warn("foreign tables", "not compared: the snapshot of " + snap.server() + " did not record them", "take a new snapshot"));
        }
    }

    private static List<String> inDatabases(java.util.Collection<String> keys, List<String> dbs) {
        return keys.stream().filter(k -> dbs.contains(DbKey.database(k))).toList();
    }

    /** Relations of one kind that exist now → whether they are populated. */
    private static Map<String, Boolean> existing(List<TableHasher.Relation> relations, TableHasher.Kind kind) {
        Map<String, Boolean> m = new java.util.HashMap<>();
        for (TableHasher.Relation r : relations) if (r.kind() == kind) m.put(r.key(), r.populated());
        return m;
    }

    /** What differs between the snapshot's stats and the relations now: relation → how, in snapshot order. */
    private static Map<String, String> compare(CommandContext ctx, Server server, Map<String, Snapshot.TableStat> was, List<String> keys,
                                               Map<String, Boolean> present, boolean countOnly, int jobs) throws InterruptedException {
        Map<String, String> differ = new java.util.LinkedHashMap<>();
        List<String> readable = new ArrayList<>();
        for (String k : keys) {
            Boolean populated = present.get(k);
            boolean hadData = was.get(k).populated();
            if (populated == null) {
                differ.put(k, "missing");
            } else if (!populated && hadData) {
                differ.put(k, "not populated, the snapshot had " + was.get(k).rows() + " rows");
            } else if (populated && !hadData) {
                differ.put(k, "populated, the snapshot had it not populated");
            } else if (populated) {
                readable.add(k);
            }
        }
        TableHasher.hash(ctx, server, readable, countOnly, jobs).forEach((k, s) -> {
            Snapshot.TableStat before = was.get(k);
            if (before.rows() != s.rows()) {
                differ.put(k, s.rows() + " rows, snapshot had " + before.rows());
            } else if (!countOnly && !before.hash().equals(s.hash())) {
                differ.put(k, "same " + s.rows() + " rows, different content");
            }
        });
        return differ;
    }

    /** "key (how)" for each entry, for a check's line. */
    private static List<String> described(Map<String, String> differ) {
        return differ.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
    }

    private static void largeObjects(Server server, Snapshot snap, List<String> dbs, CheckReport report) {
        if (snap.largeObjects() == null) {
            report.add(Check.warn("large objects", "not compared: the snapshot of " + snap.server() + " did not record them (an older cutover took it)",
                    "take a new snapshot to compare them"));
            return;
        }
        List<String> looked = snap.largeObjects().keySet().stream().filter(dbs::contains).toList();
        Map<String, Snapshot.TableStat> now = TableHasher.largeObjects(server, looked);
        List<String> same = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (String db : looked) {
            Snapshot.TableStat was = snap.largeObjects().get(db);
            Snapshot.TableStat is = now.get(db);
            if (is.rows() == 0 && was.rows() > 0) {
                differ.add(db + ": all " + was.rows() + " large objects of the snapshot missing");
            } else if (was.rows() != is.rows()) {
                differ.add(db + ": " + is.rows() + " large objects, the snapshot had " + was.rows());
            } else if (!was.hash().equals(is.hash())) {
                differ.add(db + ": same " + is.rows() + " large objects, different content");
            } else if (is.rows() > 0) {
                same.add(db + ": " + is.rows() + " large objects, content equal");
            }
        }
        report.add(!differ.isEmpty() ? Check.fail("large objects", String.join("; ", differ),
                "copy them again (pg_dump carries large objects; logical replication does not)")
                : Check.ok("large objects", same.isEmpty() ? "none, as in the snapshot (" + looked.size() + " databases)" : String.join("; ", same)));
    }

    private static void unlogged(CommandContext ctx, Server server, Snapshot snap, List<String> dbs, List<TableHasher.Relation> relations,
                                 boolean countOnly, int jobs, CheckReport report) throws InterruptedException {
        if (snap.unlogged() == null) {
            report.add(Check.warn("unlogged tables", "not compared: the snapshot of " + snap.server() + " did not record them", "take a new snapshot"));
            return;
        }
        List<String> keys = inDatabases(snap.unlogged().keySet(), dbs);
        if (keys.isEmpty()) return;
        Map<String, Boolean> present = existing(relations, TableHasher.Kind.UNLOGGED);
        List<String> missing = keys.stream().filter(k -> !present.containsKey(k)).toList();
        List<String> differ = described(compare(ctx, server, snap.unlogged(), keys.stream().filter(present::containsKey).toList(), present, countOnly, jobs));
        if (!missing.isEmpty()) {
            report.add(Check.fail("unlogged tables", "missing: " + String.join(", ", missing)
                    + (differ.isEmpty() ? "" : "; differ: " + String.join(", ", differ)), "create them again"));
        } else if (!differ.isEmpty()) {
            // Not a copy error in itself: unlogged tables are not WAL-logged, so a standby never has their rows.
            report.add(Check.warn("unlogged tables", String.join(", ", differ), "unlogged tables are not WAL-logged, so neither streaming nor "
                    + "logical replication carries their rows (a promoted standby has them empty; a logical subscriber never receives "
                    + "changes to them); pg_upgrade keeps them and a dump copies them, so after those this is a real difference: reload "
                    + "them from their source if the application needs the rows"));
        } else {
            report.add(Check.ok("unlogged tables", keys.size() + " present, rows and content equal: " + String.join(", ", keys)));
        }
    }

}
