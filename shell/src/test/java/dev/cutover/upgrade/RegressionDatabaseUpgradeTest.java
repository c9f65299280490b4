package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.app.Cli;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * The acceptance test on the hardest schema at hand: PostgreSQL's own regression database (what
 * `make installcheck` leaves; PostgreSQL's pg_upgrade test upgrades it), ~1300 relations with
 * inheritance, partitions, TOAST, large objects, materialized views, postfix operators and C functions
 * in regress.so loaded by absolute path. The rehearsal must name every blocker with its full list
 * before the window; with the blockers removed (as an operator would), an upgrade by link and one by
 * dump must verify equal, large objects and materialized views included, and (as PostgreSQL's own
 * pg_upgrade test checks) a pg_dumpall of the old cluster and of each new one, both by 15's pg_dumpall
 * and normalised by {@link DumpallNormaliser}, must differ in nothing but server-side view text.
 * The shipped streaming-upgrade runbook, replayed in batch with the regression database in the lab's
 * old primary, must do the same: refuse at its rehearsal, then, the blockers removed, go through.
 */
@LabTest
class RegressionDatabaseUpgradeTest {
    private static final String NEW15 = "bindir: '/usr/lib/postgresql/15/bin', pgdata: params.regress15_pgdata, port: params.regress15_port";
    private static final String DUMP15 = "bindir: '/usr/lib/postgresql/15/bin', pgdata: params.regress15dump_pgdata, port: params.regress15dump_port";
    /** What an operator does with the rehearsal's list: drop the postfix operators and what uses the old regress.so. */
    private static final String FIX_BLOCKERS = "drop operator public.#@# (bigint, none); drop operator public.#%# (bigint, none); "
            + "drop operator public.!=- (bigint, none); drop operator public.#@%# (bigint, none); "
            + "do $$ declare f oid; begin for f in select oid from pg_proc where probin like '/%' loop "
            + "if exists (select from pg_proc where oid = f) then execute format('drop function %s cascade', f::regprocedure); end if; end loop; end $$";
    private final Lab lab;
    private Map<String, String> params;
    private Shell shell;
    /** Whether a test loaded the regression database into the lab's old primary (then the lab is reset and it is dropped after). */
    private boolean inOldPrimary;

    RegressionDatabaseUpgradeTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // builds the regression database on a machine whose cache lacks it
    void regressionDatabase() throws Exception {
        params = lab.regressDb();
        shell = new Shell(params);
        shell.eval("old = connect 'regress', url: params.regress_url, pgdata: params.regress_pgdata, bindir: params.regress_bindir");
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
        if (inOldPrimary) {
            // Later test classes expect the just-up lab: old13 with appdb only.
            lab.reset();
            lab.query(lab.oldPort(), "postgres", "drop database if exists regression with (force)");
        }
    }

    private int port(String name) {
        return Integer.parseInt(params.get(name));
    }

    private List<Map<String, Object>> regression(String sql) throws Exception {
        return lab.query(port("regress_port"), "regression", sql);
    }

    @Test
    void theRehearsalNamesEveryBlockerWithItsFullListAndKeepsPgUpgradesReport() throws Exception {
        List<Map<String, Object>> postfix = regression("select format('regression:%I.%s (%s, NONE)', n.nspname, o.oprname, o.oprleft::regtype) as op "
                + "from pg_operator o join pg_namespace n on n.oid = o.oprnamespace where o.oprright = 0 and o.oid >= 16384");
        assertEquals(4, postfix.size(), postfix.toString());

        String error = shell.error("upgrade old, " + NEW15 + ", method: 'link', check: true");
        String out = shell.outputText();
        // Every blocker at once, though pg_upgrade --check itself stops at the postfix operators.
        assertTrue(error.contains("postfix operators: 4: "), error);
        for (Map<String, Object> op : postfix) assertTrue(out.contains("  " + op.get("op") + "\n"), op + " listed in\n" + out);
        String lib = params.get("regress_lib") + "/regress.so";
        assertTrue(out.contains("FAIL  C libraries load: 3 of 3 cannot be loaded by 15: "), out);
        assertTrue(out.contains(lib + " (16 functions in regression): ERROR:  incompatible library \"" + lib + "\": version mismatch"), out);
        assertFalse(out.contains("ok    C libraries load"), out);
        // pg_upgrade's own list, shown in full and kept next to the new data directory with its fix line.
        String reports = params.get("regress15_pgdata") + ".cutover-report";
        Matcher kept = Pattern.compile("pg_upgrade's postfix_ops.txt \\(\\d+ lines, kept in (" + Pattern.quote(reports) + "/[^)]+)\\)").matcher(out);
        assertTrue(kept.find(), out);
        assertTrue(Files.readString(Path.of(kept.group(1))).contains("#@%#"), kept.group(1));
        assertTrue(out.contains("FAIL  pg_upgrade --check: postfix operators: 4 listed in " + kept.group(1)
                + " (fix: drop them (DROP OPERATOR name (type, NONE)) or replace them with prefix operators or function calls"), out);
        // "Nothing was changed" only when true: the refusal names what the rehearsal left.
        assertFalse(error.contains("nothing was changed"), error);
        assertTrue(error.contains("left on disk: pg_upgrade's report and logs in " + reports), error);
        assertFalse(Files.exists(Path.of(params.get("regress15_pgdata") + ".cutover-check")), "the scratch cluster is gone");

        // A dump has no pg_upgrade --check, but the same pre-flight: the restore would fail on both.
        shell.clear();
        String dump = shell.error("upgrade old, " + DUMP15 + ", method: 'dump', check: true");
        assertTrue(dump.contains("postfix operators: 4: ") && dump.contains("C libraries load: 3 of 3 cannot be loaded by 15"), dump);
        // A dump re-creates inheritance children with their parents' columns first (pg_upgrade keeps attnums): warned, with every order.
        String dumpOut = shell.outputText();
        List<String> reordered = List.of("b_star", "c_star", "d_star", "e_star", "f_star", "gtestxx_4", "renamecolumnanother", "renamecolumnchild",
                "test_type_diff2_c1", "test_type_diff2_c2", "test_type_diff_c");
        assertTrue(dumpOut.contains("warn  column order of inheritance children: 11 come back from the dump with their parents' columns first, "
                + "so SELECT * and INSERT without a column list see another order: "
                + String.join(", ", reordered.stream().map(t -> "regression:public." + t).toList()) + " (fix: "), dumpOut);
        assertTrue(dumpOut.contains("  regression:public.b_star: (class, aa, bb, a) becomes (class, aa, a, bb)\n"), dumpOut);
        assertFalse(out.contains("column order of inheritance children"), "pg_upgrade keeps the order: no warning for link");
    }

    @Test
    void withTheBlockersRemovedLinkAndDumpBothVerifyEqualWithLargeObjectsAndMaterializedViews() throws Exception {
        // What an operator does with the rehearsal's list: drop the postfix operators and what uses the old regress.so.
        regression(FIX_BLOCKERS);
        shell.eval("upgrade old, " + NEW15 + ", method: 'link', check: true");
        String rehearsal = shell.outputText();
        assertTrue(Pattern.compile("ok    expected outage: about [0-9.]+m?s: pg_upgrade --link took [0-9.]+m?s on a schema-only copy of the old cluster "
                + "\\(\\d{4} relations in pg_class\\), the new server's start").matcher(rehearsal).find(), rehearsal);
        assertFalse(Files.exists(Path.of(params.get("regress15_pgdata") + ".cutover-measure")), "the measurement's scratch clusters are gone");
        // PostgreSQL's own pg_upgrade test: the old cluster dumped before, by the new version's pg_dumpall.
        Path oldDump = dumpall(port("regress_port"), "old13");

        shell.eval("snap = snapshot old");
        long tables = ((Number) shell.eval("snap.tables.size()")).longValue();
        assertTrue(tables > 400, "tables: " + tables);

        // By dump: pg_dump re-creates inheritance children with their columns reordered; verify must not call that a difference.
        shell.eval("d = upgrade old, " + DUMP15 + ", method: 'dump'");
        shell.clear();
        shell.eval("verify d, version: 15, against: snap");
        String dumped = shell.outputText();
        assertTrue(dumped.contains("ok    tables: " + tables + " tables: row counts and content hashes equal the snapshot of regress"), dumped);
        assertTrue(dumped.contains("ok    large objects: regression: 3 large objects, content equal"), dumped);
        // The dump refreshes materialized views; the regression database leaves one stale (mvtest_bb), which verify explains.
        assertTrue(dumped.contains("warn  materialized views: 1 of 7 were stale on regress") && dumped.contains("regression:public.mvtest_bb"), dumped);
        Compared byDump = compare(oldDump, dumpall(port("regress15dump_port"), "new15-dump"));
        // What the dump pre-flight warned of is what happened: these children, and only these, changed column order.
        assertEquals(List.of("public.b_star", "public.c_star", "public.d_star", "public.e_star", "public.f_star", "public.gtestxx_4",
                "public.renamecolumnanother", "public.renamecolumnchild", "public.test_type_diff2_c1", "public.test_type_diff2_c2",
                "public.test_type_diff_c"), reordered(columnOrders(port("regress_port")), columnOrders(port("regress15dump_port"))));
        shell.eval("d.stop()");

        // By link, into the cluster the rehearsal prepared.
        shell.eval("up = upgrade old, " + NEW15 + ", method: 'link'");
        shell.clear();
        shell.eval("verify up, version: 15, against: snap");
        String linked = shell.outputText();
        assertTrue(linked.contains("ok    tables: " + tables + " tables: row counts and content hashes equal the snapshot of regress"), linked);
        assertTrue(linked.contains("ok    materialized views: 7 materialized views: populated state, row counts and content hashes equal"), linked);
        assertTrue(linked.contains("ok    large objects: regression: 3 large objects, content equal"), linked);
        Compared byLink = compare(oldDump, dumpall(port("regress15_port"), "new15-link"));

        // pg_dumpall of old and new, normalised as PostgreSQL's pg_upgrade test does: no difference beyond view text.
        assertTrue(byDump.diff().isEmpty(), () -> "pg_dumpall of the old cluster and of the one upgraded by dump differ:\n" + byDump.diff());
        assertTrue(byLink.diff().isEmpty(), () -> "pg_dumpall of the old cluster and of the one upgraded by link differ:\n" + byLink.diff());
        // The views PostgreSQL 15 deparses differently are the same whichever way they got there (FETCH FIRST (5) ROWS WITH TIES).
        assertEquals(byLink.views(), byDump.views());
        assertTrue(byLink.views().size() < 10, byLink.views().toString());
        // pg_upgrade keeps every column where it was; only a dump re-creates inheritance children with the parent's columns first.
        assertEquals(List.of(), byLink.columnOrders());
        assertEquals(List.of("CREATE TABLE public.gtestxx_4 (", "CREATE TABLE public.test_type_diff2_c1 (", "CREATE TABLE public.test_type_diff2_c2 ("),
                byDump.columnOrders());
    }

    /**
     * The shipped streaming-upgrade runbook, as an operator runs it, on the regression database loaded
     * into the lab's old primary beside appdb. Days before the window the operator runs it up to the
     * rehearsal: it refuses with every blocker listed, before any window step. With the blockers removed
     * (they replicate to the clone) the same run, resumed, goes through the window: exit 0, verify finds
     * every table equal, and a pg_dumpall of the old primary (before the window) and of the new one differ
     * in nothing but view text.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theShippedStreamingUpgradeRunbookRefusesTheBlockersThenUpgradesTheRegressionDatabase(@TempDir Path dir) throws Exception {
        int oldPort = lab.oldPort();
        loadIntoOldPrimary();
        List<String> postfix = lab.query(oldPort, "regression", "select format('regression:%I.%s (%s, NONE)', n.nspname, o.oprname, o.oprleft::regtype) "
                + "as op from pg_operator o join pg_namespace n on n.oid = o.oprnamespace where o.oprright = 0 and o.oid >= 16384")
                .stream().map(r -> String.valueOf(r.get("op"))).toList();
        List<String> libraries = lab.query(oldPort, "regression", "select distinct probin from pg_proc where probin like '/%'")
                .stream().map(r -> String.valueOf(r.get("probin"))).toList();
        assertEquals(4, postfix.size(), postfix.toString());
        assertEquals(3, libraries.size(), libraries.toString());

        // Before the window: clone and rehearse, and stop there.
        Cli.Result rehearsal = Cli.run(dir, runbook("--transcript", "t.md", "--until", "before-the-window-rehearse-the-upgrade"));
        String out = rehearsal.out();
        assertEquals(1, rehearsal.exit(), out);
        assertTrue(out.contains("Step 3 (before-the-window-rehearse-the-upgrade) refused at "), out);
        assertTrue(out.contains("FAIL  postfix operators: 4: "), out);
        for (String op : postfix) assertTrue(out.contains("  " + op + "\n"), op + " listed in\n" + out);
        assertTrue(out.contains("FAIL  C libraries load: 3 of 4 cannot be loaded by 15: "), out); // the 4th: citext, in appdb
        for (String lib : libraries) {
            assertTrue(out.contains(lib + " (") && out.contains("incompatible library \"" + lib + "\": version mismatch"), lib + " named in\n" + out);
        }
        assertTrue(out.contains("FAIL  pg_upgrade --check: postfix operators: 4 listed in "), out);
        assertTrue(out.contains("stopped (refused) in "), out);
        String first = Files.readString(dir.resolve("t.md"));
        assertTrue(first.contains("\"id\":\"before-the-window-clone-the-old-primary\",\"status\":\"ok\""), first);
        assertFalse(first.contains("\"id\":\"window-"), "no window step ran");

        // The operator's fix, on the old primary; the clone replays it before the rehearsal runs again.
        regressionOnOld(FIX_BLOCKERS);
        String lsn = String.valueOf(lab.query(oldPort, "postgres", "select pg_current_wal_lsn()::text as l").get(0).get("l"));
        int newPort = Integer.parseInt(params.get("new_port"));
        for (int i = 0; i < 300 && !Boolean.TRUE.equals(lab.query(newPort, "postgres",
                "select pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn as caught_up").get(0).get("caught_up")); i++) {
            Thread.sleep(100);
        }
        // PostgreSQL's own pg_upgrade test: the old cluster dumped before, by the new version's pg_dumpall.
        Path oldDump = dumpall(oldPort, "old13-runbook");

        // The rest of the runbook: the rehearsal again, the window, the new standby, the final check.
        Cli.Result window = Cli.run(dir, runbook("--resume", "t.md"));
        String all = window.out();
        assertEquals(0, window.exit(), all);
        String transcript = Files.readString(dir.resolve("t.md"));
        assertTrue(transcript.contains("\"id\":\"after-final-check\",\"status\":\"ok\""), transcript);
        Matcher snapshot = Pattern.compile("snapshot of old: (\\d+) tables").matcher(all);
        assertTrue(snapshot.find(), all);
        int tables = Integer.parseInt(snapshot.group(1));
        assertTrue(tables > 400, "the snapshot covers the regression database: " + tables + " tables");
        String verify = all.substring(all.indexOf("▶ Step 10/17 window-verify-before-letting-writes-in"), all.indexOf("▶ Step 11/17"));
        assertTrue(verify.contains("ok    tables: " + tables + " tables: row counts and content hashes equal the snapshot of old"), verify);
        assertTrue(verify.contains("ok    materialized views: 7 materialized views: populated state, row counts and content hashes equal"), verify);
        assertTrue(verify.contains("ok    large objects: regression: 3 large objects, content equal"), verify);
        assertFalse(verify.contains("FAIL"), verify);

        Compared c = compare(oldDump, dumpall(Integer.parseInt(params.get("new15_port")), "new15-runbook"));
        assertTrue(c.diff().isEmpty(), () -> "pg_dumpall of the old primary and of the new one after the runbook differ:\n" + c.diff());
        assertTrue(c.views().size() < 10, c.views().toString());
        assertEquals(List.of(), c.columnOrders(), "pg_upgrade --link keeps every column where it was");
    }

    private String[] runbook(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", Lab.repoRoot().resolve("runbooks/streaming-upgrade.md").toString(),
                "--params-file", lab.paramsFile().toString(), "--yes"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private void regressionOnOld(String sql) throws Exception {
        lab.query(lab.oldPort(), "regression", sql);
    }

    /**
     * The regression database into the lab's old primary, beside appdb: PostgreSQL 13's pg_dump of the
     * cached cluster, restored with pg_restore --create (a few seconds; no error allowed). Roles: the
     * regression suite leaves none but postgres.
     */
    private void loadIntoOldPrimary() throws Exception {
        lab.query(lab.oldPort(), "postgres", "drop database if exists regression with (force)");
        inOldPrimary = true;
        String bin = params.get("regress_bindir");
        String load = bin + "/pg_dump -h 127.0.0.1 -p " + port("regress_port") + " -U postgres -w -Fc regression | " + bin
                + "/pg_restore -h 127.0.0.1 -p " + lab.oldPort() + " -U postgres -w --create -d postgres";
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", load).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "loading the regression database did not finish");
        assertEquals(0, p.exitValue(), "loading the regression database into the old primary:\n" + out);
    }

    /** Every table's columns in attnum order, by name, in the regression database on {@code port}. */
    private Map<String, String> columnOrders(int port) throws Exception {
        Map<String, String> orders = new java.util.TreeMap<>();
        for (Map<String, Object> row : lab.query(port, "regression", "select format('%I.%I', n.nspname, c.relname) as t, "
                + "string_agg(quote_ident(a.attname), ', ' order by a.attnum) as cols from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped where c.relkind in ('r', 'p', 'f') "
                + "and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') group by 1")) {
            orders.put(String.valueOf(row.get("t")), String.valueOf(row.get("cols")));
        }
        return orders;
    }

    /** The tables present in both whose columns are in another order. */
    private static List<String> reordered(Map<String, String> before, Map<String, String> after) {
        assertEquals(before.keySet(), after.keySet(), "the same tables on both sides");
        return before.keySet().stream().filter(t -> !before.get(t).equals(after.get(t))).toList();
    }

    private static final Path DUMPS = Path.of("target", "regress-dumpall");

    /** A whole pg_dumpall (data included) by PostgreSQL 15's tool, as 002_pg_upgrade.pl takes it; kept in target/regress-dumpall. */
    private static Path dumpall(int port, String name) throws Exception {
        Files.createDirectories(DUMPS);
        Path file = DUMPS.resolve(name + ".sql").toAbsolutePath();
        Process p = new ProcessBuilder("/usr/lib/postgresql/15/bin/pg_dumpall", "--no-sync", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-w", "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "pg_dumpall of port " + port + " did not finish");
        assertEquals(0, p.exitValue(), "pg_dumpall of port " + port + ":\n" + out);
        return file;
    }

    /**
     * A comparison: the unified diff's first 60 lines with where the whole of it is ("" when the dumps
     * match), the views and rules whose server-side text differs, the inheritance children whose columns
     * are in another order.
     */
    private record Compared(String diff, List<String> views, List<String> columnOrders) {
    }

    /**
     * The old dump against a new one after {@link DumpallNormaliser} (both normalised files kept next to
     * the dumps). Views whose text the new server deparses differently, and inheritance children a dump
     * re-created with their columns in another order, are named on stdout.
     */
    private static Compared compare(Path oldDump, Path newDump) throws Exception {
        DumpallNormaliser.Normalised before = DumpallNormaliser.old(13, Files.readString(oldDump));
        DumpallNormaliser.Normalised after = DumpallNormaliser.neu(13, Files.readString(newDump));
        // Never "equal" over nothing: the old dump holds the regression database, its data and its views.
        assertTrue(before.text().contains("\n\\connect regression\n") && before.text().contains("\nCOPY public.onek (")
                && before.views().size() > 50, oldDump + " does not hold the regression database");
        Path a = Path.of(oldDump + ".normalised"), b = Path.of(newDump + ".normalised");
        Files.writeString(a, before.text());
        Files.writeString(b, after.text());
        List<String> views = before.viewsDifferingFrom(after);
        List<String> columns = before.columnOrdersDifferingFrom(after);
        System.out.println(newDump.getFileName() + ": " + before.views().size() + " views and rules, " + views.size()
                + " with server-side text that differs from the old cluster's" + (views.isEmpty() ? "" : ": " + String.join(", ", views))
                + "; " + columns.size() + " inheritance children with their columns in another order" + (columns.isEmpty() ? "" : ": " + String.join(", ", columns)));
        Process p = new ProcessBuilder("diff", "-u", a.toString(), b.toString()).redirectErrorStream(true).start();
        List<String> diff = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        p.waitFor(120, TimeUnit.SECONDS);
        if (p.exitValue() == 0) return new Compared("", views, columns);
        Path whole = Path.of(newDump + ".diff");
        Files.write(whole, diff);
        return new Compared(String.join("\n", diff.subList(0, Math.min(60, diff.size())))
                + (diff.size() > 60 ? "\n... " + (diff.size() - 60) + " more lines in " + whole : ""), views, columns);
    }
}
