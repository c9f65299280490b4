package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.cutover.spi.Check;
import dev.cutover.pg.DbKey;
import dev.cutover.pg.PgVersion;

/**
 * What the running old cluster must satisfy: no prepared transactions, its preload libraries,
 * extensions and C libraries present in the new installation, unlogged tables named,
 * pg_upgrade's blockers found before the window, and for a dump the inheritance children whose
 * column order a restore changes.
 */
final class ClusterChecks extends PreflightPart {
    /** Whether dotted version {@code a} is older than {@code b} (1.4 &lt; 1.10); versions that are not dotted numbers compare as not older. */
    static boolean olderThan(String a, String b) {
        if (!a.matches("\\d+(\\.\\d+)*") || !b.matches("\\d+(\\.\\d+)*")) return false;
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) return p < q;
        }
        return false;
    }

    ClusterChecks(PreflightPart same) {
        super(same);
    }

    /** The checks; returns the C libraries the old cluster's functions use, for the rehearsal to load. */
    List<Libraries.Used> run(Install target, PgVersion oldVersion, boolean rehearse) {
        long prepared = ((Number) old.value("select count(*) from pg_prepared_xacts")).longValue();
        report.add(prepared == 0 ? Check.ok("prepared transactions", "none")
                : Check.fail("prepared transactions", prepared + " open", "COMMIT PREPARED or ROLLBACK PREPARED them (pg_prepared_xacts)"));

        String preload = String.valueOf(old.value("select current_setting('shared_preload_libraries')")).strip();
        if (preload.isEmpty()) {
            report.add(Check.ok("shared_preload_libraries", "none"));
        } else {
            List<String> missing = new ArrayList<>();
            for (String lib : preload.split("\\s*,\\s*")) if (!lib.isBlank() && !target.hasLibrary(lib.replace("\"", ""))) missing.add(lib);
            report.add(missing.isEmpty() ? Check.ok("shared_preload_libraries", preload + ": all present for " + target.version().majorText())
                    : Check.fail("shared_preload_libraries", String.join(", ", missing) + " missing from " + target.pkglibdir(),
                    "install the " + target.version().majorText() + " build of each before the window"));
        }

        Map<String, String> extVersions = new TreeMap<>();
        Map<String, TreeSet<String>> extDbs = new TreeMap<>();
        List<String> unlogged = new ArrayList<>();
        List<String> databases = old.databases();
        for (String db : databases) {
            for (Map<String, Object> row : old.sqlIn(db, "select extname, extversion from pg_extension where extname <> 'plpgsql'")) {
                String name = String.valueOf(row.get("extname"));
                // The newest version installed in any database: the one the target's package must reach.
                extVersions.merge(name, String.valueOf(row.get("extversion")), (a, b) -> olderThan(a, b) ? b : a);
                extDbs.computeIfAbsent(name, k -> new TreeSet<>()).add(db);
            }
            for (Map<String, Object> row : old.sqlIn(db, "select format('%I.%I', n.nspname, c.relname) as t from pg_class c "
                    + "join pg_namespace n on n.oid = c.relnamespace where c.relpersistence = 'u' and c.relkind in ('r', 'p')")) {
                unlogged.add(DbKey.of(db, String.valueOf(row.get("t"))));
            }
        }
        if (extVersions.isEmpty()) report.add(Check.ok("extensions", "none besides plpgsql"));
        extVersions.forEach((name, version) -> {
            String where = String.join(", ", extDbs.get(name));
            String available = target.extensions().get(name);
            if (available == null) {
                report.add(Check.fail("extension " + name, name + " " + version + " (in " + where + ") is not packaged in "
                        + target.sharedir() + "/extension", "install " + name + " for PostgreSQL " + target.version().majorText()
                        + " (Debian: postgresql-" + target.version().majorText() + "-" + name + " or its contrib) before the window"));
            } else if (olderThan(available, version)) {
                report.add(Check.fail("extension " + name, version + " in " + where + ", but " + target.version().majorText() + " packages only "
                        + available + ": an extension cannot be updated down, and the upgraded cluster would keep objects its library lacks",
                        "install " + name + " " + version + " or newer for PostgreSQL " + target.version().majorText() + " before the window"));
            } else if (!available.equals(version)) {
                report.add(Check.ok("extension " + name, version + " in " + where + "; " + target.version().majorText() + " has " + available
                        + ": cutover runs ALTER EXTENSION " + name + " UPDATE after the upgrade"));
            } else {
                report.add(Check.ok("extension " + name, version + " in " + where + "; same version in " + target.version().majorText()));
            }
        });
        List<Libraries.Used> libraries = Libraries.of(old, databases);
        Check present = Libraries.presence(at, target, libraries, rehearse);
        java.time.Instant loaded = ctx.session(LoadedLibraries.class, LoadedLibraries::new).when(bindir);
        if (!rehearse && present.status() == Check.Status.OK && !libraries.isEmpty()) {
            // Present is not loadable: without this session's rehearsal having loaded them, say so before the window, not in it.
            present = loaded != null ? Check.ok("C libraries", present.detail() + "; this session's rehearsal loaded each at " + loaded)
                    : Check.warn("C libraries", present.detail(), "rehearse first in this session (upgrade ..., check: true) so each is loaded "
                    + "into the new version before the window");
        }
        report.add(present);
        if (!unlogged.isEmpty()) {
            report.add(Check.warn("unlogged tables", String.join(", ", unlogged),
                    "unlogged tables are not replicated: on a promoted standby they are empty, and a dump copies only what the source has"));
        }
        for (Check c : UpgradeBlockers.find(ctx, old, databases, oldVersion.num(), target.version().num(), method.equals("dump"))) report.add(c);
        // pg_upgrade keeps every attnum; a restore re-creates inheritance children with their parents' columns first.
        if (method.equals("dump")) report.add(InheritedColumnOrder.check(ctx, old, oldVersion.num(), databases));
        return libraries;
    }
}
