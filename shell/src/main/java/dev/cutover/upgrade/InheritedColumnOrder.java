package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.cutover.pg.DbKey;
import dev.cutover.pg.Server;
import dev.cutover.spi.Check;
import dev.cutover.spi.CommandContext;

/**
 * What a dump and restore does to the column order of inheritance children (pg_upgrade keeps every
 * attnum, so only {@code method: 'dump'} is concerned). pg_dump writes a child as
 * {@code CREATE TABLE child (its local columns) INHERITS (parents)}; the restore puts each parent's
 * columns first, in the parent's own restored order and the order of the parents, then the child's
 * other columns in their order. A child created with its own column order and attached by
 * {@code ALTER TABLE ... INHERIT}, or one whose parent gained a column after it was created, comes back
 * in another order: {@code SELECT *} and {@code INSERT} without a column list see the new one.
 * Partitions keep their order (pg_dump lists all their columns and attaches them).
 */
final class InheritedColumnOrder {
    static final String NAME = "column order of inheritance children";
    /** Tables named in the check's line before "and N more". */
    static final int SHOWN = 20;

    /** One table: its name, its columns in attnum order (dropped ones left out), its parents in inhseqno order. */
    record Table(String name, List<String> columns, List<Long> parents) {
    }

    /** A child whose order changes: its columns now and after a restore. */
    record Reordered(String name, List<String> now, List<String> restored) {
    }

    /** Partitions keep their order; before 10 there are none (no relispartition). */
    private static String query(int versionNum) {
        return QUERY.replace("not c.relispartition", versionNum >= 100_000 ? "not c.relispartition" : "true");
    }

    private static final String QUERY = "select c.oid::bigint as oid, format('%I.%I', n.nspname, c.relname) as name, "
            + "array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
            + "order by a.attnum) as columns, "
            + "array(select i.inhparent::bigint from pg_inherits i where i.inhrelid = c.oid order by i.inhseqno) as parents "
            + "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            + "where not c.relispartition and c.relkind in ('r', 'p', 'f') "
            + "and (c.oid in (select inhrelid from pg_inherits) or c.oid in (select inhparent from pg_inherits)) order by 2";

    private InheritedColumnOrder() {
    }

    /** The check for a dump: ok "none", or a warning naming the children (all of them, with their orders, printed above it). */
    static Check check(CommandContext ctx, Server old, int oldVersionNum, List<String> databases) {
        List<Reordered> found = new ArrayList<>();
        for (String db : databases) {
            Map<Long, Table> tables = new HashMap<>();
            for (Map<String, Object> row : old.sqlIn(db, query(oldVersionNum))) {
                tables.put(((Number) row.get("oid")).longValue(), new Table(String.valueOf(row.get("name")), strings(row.get("columns")),
                        longs(row.get("parents"))));
            }
            for (Reordered r : reordered(tables)) found.add(new Reordered(DbKey.of(db, r.name()), r.now(), r.restored()));
        }
        if (found.isEmpty()) return Check.ok(NAME, "none changes order in a dump and restore");
        UpgradeBlockers.printList(ctx, NAME + " after a dump and restore", found.stream()
                .map(r -> r.name() + ": (" + String.join(", ", r.now()) + ") becomes (" + String.join(", ", r.restored()) + ")").toList());
        List<String> names = found.stream().map(Reordered::name).toList();
        String shown = String.join(", ", names.subList(0, Math.min(SHOWN, names.size())))
                + (names.size() > SHOWN ? " and " + (names.size() - SHOWN) + " more" : "");
        return Check.warn(NAME, found.size() + " come back from the dump with their parents' columns first, so SELECT * and INSERT "
                + "without a column list see another order: " + shown,
                "name the columns in the applications' SELECT and INSERT statements, or upgrade with method: 'link' (or clone/copy), "
                        + "which keeps every column where it is");
    }

    /** The children whose columns a restore puts in another order, by name. */
    static List<Reordered> reordered(Map<Long, Table> tables) {
        Map<Long, List<String>> restored = new HashMap<>();
        List<Reordered> out = new ArrayList<>();
        for (Map.Entry<Long, Table> e : tables.entrySet()) {
            Table t = e.getValue();
            if (t.parents().isEmpty()) continue;
            List<String> after = restoredOrder(e.getKey(), tables, restored, new LinkedHashSet<>());
            if (after != null && !after.equals(t.columns())) out.add(new Reordered(t.name(), t.columns(), after));
        }
        out.sort(java.util.Comparator.comparing(Reordered::name));
        return out;
    }

    /** The order a restore gives this table (memoised); null when a parent is unknown. */
    private static List<String> restoredOrder(long oid, Map<Long, Table> tables, Map<Long, List<String>> memo, Set<Long> path) {
        List<String> known = memo.get(oid);
        if (known != null) return known;
        Table t = tables.get(oid);
        if (t == null || !path.add(oid)) return null;
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (long parent : t.parents()) {
            List<String> p = restoredOrder(parent, tables, memo, path);
            if (p == null) return null;
            order.addAll(p);
        }
        order.addAll(t.columns());
        path.remove(oid);
        List<String> result = List.copyOf(order);
        memo.put(oid, result);
        return result;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
        return out;
    }

    private static List<Long> longs(Object v) {
        List<Long> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add(((Number) o).longValue());
        return out;
    }
}
