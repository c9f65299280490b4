package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.Check;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.OutputKind;
import dev.cutover.pg.Server;
import dev.cutover.pg.DbKey;

/**
 * pg_upgrade's refusals that cutover can see for itself, each with its full list. pg_upgrade --check
 * stops at the first one it meets, so an operator who fixes what it reported learns of the next only
 * at the next run (or in the window); these run them all, in every database, before the window.
 * The queries are pg_upgrade's own (check.c), for the versions each applies to.
 */
public final class UpgradeBlockers {
    /** Items shown inside the check's one line; the full list is printed above it. */
    static final int SHOWN_IN_LINE = 5;
    /** Lines of a list printed before "… and N more". */
    static final int LISTED = 200;

    /** @param byDump whether a dump and restore fails on it too (the new version refuses the definition) */
    record Blocker(String name, int oldAtMost, int oldAtLeast, int newAtLeast, boolean byDump, String query, String fix) {
        boolean applies(int from, int to, boolean dump) {
            return from <= oldAtMost && from >= oldAtLeast && to >= newAtLeast && (byDump || !dump);
        }
    }

    /** Functions whose signatures moved from anyarray/anyelement to anycompatible* in 14. */
    private static final String OLD_POLYMORPHICS = "array['array_append(anyarray,anyelement)', 'array_cat(anyarray,anyarray)', "
            + "'array_prepend(anyelement,anyarray)', 'array_remove(anyarray,anyelement)', 'array_replace(anyarray,anyelement,anyelement)', "
            + "'array_position(anyarray,anyelement)', 'array_position(anyarray,anyelement,integer)', 'array_positions(anyarray,anyelement)', "
            + "'width_bucket(anyelement,anyarray)']::regprocedure[]";

    static final List<Blocker> BLOCKERS = List.of(
            new Blocker("postfix operators", 1300, 0, 1400, true,
                    "select format('%I.%s (%s, NONE)', n.nspname, o.oprname, o.oprleft::regtype) as item from pg_operator o "
                            + "join pg_namespace n on n.oid = o.oprnamespace where o.oprright = 0 and o.oid >= 16384 order by 1",
                    "PostgreSQL 14 removed postfix operators: drop them (DROP OPERATOR name (type, NONE)) or replace them with prefix operators "
                            + "or function calls, and change the queries that use them, before the window"),
            new Blocker("incompatible polymorphic functions", 1300, 905, 1400, true,
                    "select 'aggregate ' || p.oid::regprocedure::text as item from pg_proc p join pg_aggregate a on a.aggfnoid = p.oid "
                            + "where p.oid >= 16384 and (a.aggtransfn = any(" + OLD_POLYMORPHICS + ") or a.aggfinalfn = any(" + OLD_POLYMORPHICS + ")) "
                            + "and a.aggtranstype = any(array['anyarray', 'anyelement']::regtype[]) "
                            + "union all select 'operator ' || op.oid::regoperator::text from pg_operator op where op.oid >= 16384 "
                            + "and op.oprcode = any(" + OLD_POLYMORPHICS + ") and op.oprleft = any(array['anyarray', 'anyelement']::regtype[]) order by 1",
                    "these use array functions whose arguments became anycompatible* in 14: drop them before the window and re-create them "
                            + "after the upgrade with anycompatible/anycompatiblearray arguments"),
            new Blocker("user-defined encoding conversions", 1300, 0, 1400, true,
                    "select format('%I.%I', n.nspname, c.conname) as item from pg_conversion c join pg_namespace n on n.oid = c.connamespace "
                            + "where c.oid >= 16384 order by 1",
                    "the conversion function signature changed in 14: drop them (DROP CONVERSION) before the window and re-create them "
                            + "after the upgrade with functions written for the new signature"),
            // regclass, regrole and regtype are fine: pg_upgrade keeps those OIDs. Arrays and domains of the others count too.
            new Blocker("reg* columns", Integer.MAX_VALUE, 0, 0, false,
                    "with reg as (select oid from pg_type where typnamespace = (select oid from pg_namespace where nspname = 'pg_catalog') "
                            + "and typname in ('regcollation', 'regconfig', 'regdictionary', 'regnamespace', 'regoper', 'regoperator', 'regproc', "
                            + "'regprocedure')) "
                            + "select format('%I.%I.%I', n.nspname, c.relname, a.attname) as item from pg_attribute a "
                            + "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace join pg_type t on t.oid = a.atttypid "
                            + "where not a.attisdropped and (t.oid in (select oid from reg) or t.typelem in (select oid from reg) "
                            + "or t.typbasetype in (select oid from reg)) and c.relkind in ('r', 'm') "
                            + "and n.nspname not in ('pg_catalog', 'information_schema') order by 1",
                    "pg_upgrade cannot keep these OIDs: convert the columns to text before the window"),
            new Blocker("tables WITH OIDS", 1100, 0, 1200, false,
                    "select c.oid::regclass::text as item from pg_class c where c.relhasoids and c.oid >= 16384 order by 1",
                    "ALTER TABLE ... SET WITHOUT OIDS before the window"));

    private UpgradeBlockers() {
    }

    /** Comparable major versions as pg_upgrade writes them: 1300 for 13, 906 for 9.6. */
    static int major(int versionNum) {
        return versionNum >= 100_000 ? versionNum / 10_000 * 100 : versionNum / 100;
    }

    /**
     * One check per blocker that applies to this pair of versions and method: ok "none", or a failure
     * with every object (printed in full above it).
     */
    public static List<Check> find(CommandContext ctx, Server old, List<String> databases, int oldVersionNum, int newVersionNum, boolean dump) {
        List<Check> checks = new ArrayList<>();
        int from = major(oldVersionNum);
        int to = major(newVersionNum);
        for (Blocker b : BLOCKERS) {
            if (!b.applies(from, to, dump)) continue;
            List<String> found = new ArrayList<>();
            for (String db : databases) {
                for (Map<String, Object> row : old.sqlIn(db, b.query())) found.add(DbKey.of(db, String.valueOf(row.get("item"))));
            }
            if (found.isEmpty()) {
                checks.add(Check.ok(b.name(), "none"));
                continue;
            }
            printList(ctx, b.name(), found);
            checks.add(Check.fail(b.name(), found.size() + ": " + inLine(found), b.fix()));
        }
        return checks;
    }

    /** The first few items and how many more, for a check's one line. */
    static String inLine(List<String> items) {
        String shown = String.join(", ", items.subList(0, Math.min(SHOWN_IN_LINE, items.size())));
        return items.size() > SHOWN_IN_LINE ? shown + " and " + (items.size() - SHOWN_IN_LINE) + " more (all listed above)" : shown;
    }

    /** Every item, one per line, up to {@link #LISTED}, then how many more. */
    static void printList(CommandContext ctx, String title, List<String> items) {
        ctx.out(OutputKind.ERR, title + " (" + items.size() + "):");
        for (int i = 0; i < Math.min(LISTED, items.size()); i++) ctx.out(OutputKind.ERR, "  " + items.get(i));
        if (items.size() > LISTED) ctx.out(OutputKind.ERR, "  … and " + (items.size() - LISTED) + " more");
    }
}
