package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import dev.cutover.spi.Cancellation;
import dev.cutover.spi.Check;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.OutputKind;

/** The rehearsal's pure parts: pg_upgrade's report files turned into checks, the outage verdict, the LOAD answers. */
class RehearsalReportTest {
    /** Captures what a command prints (pure logic needs no server). */
    static final class Printed implements CommandContext {
        final List<String> lines = new ArrayList<>();

        @Override
        public void out(OutputKind kind, String line) {
            lines.add(line);
        }

        @Override
        public Map<String, Object> params() {
            return Map.of();
        }

        @Override
        public boolean dryRun() {
            return false;
        }

        @Override
        public boolean confirm(String question) {
            return false;
        }

        @Override
        public Cancellation cancellation() {
            return null;
        }

        @Override
        public void addSecret(String secret) {
        }

        @Override
        public void action(String description) {
        }

        @Override
        public <T> T mutate(String description, Callable<T> action) throws Exception {
            return action.call();
        }

        @Override
        public void event(String type, Map<String, Object> data) {
        }

        @Override
        public <T> T session(Class<T> type, java.util.function.Supplier<T> create) {
            return create.get();
        }
    }

    @Test
    void eachKnownReportFileGetsItsOwnFixAndALongListSaysHowManyMore() {
        List<String> ops = new ArrayList<>(List.of("In database: regression"));
        for (int i = 0; i < 250; i++) ops.add("  (oid=" + (20000 + i) + ") public.#" + i + "# (pg_catalog.int8, NONE)");
        Printed ctx = new Printed();
        List<Check> checks = PgUpgradeReport.checks(ctx, List.of(
                new PgUpgradeReport.File("/srv/new15.cutover-report/20261126T1/postfix_ops.txt", ops),
                new PgUpgradeReport.File("/srv/new15.cutover-report/20261126T1/loadable_libraries.txt",
                        List.of("could not load library \"/x/regress.so\": ERROR:  incompatible library", "In database: regression")),
                new PgUpgradeReport.File("/srv/new15.cutover-report/20261126T1/tables_using_abstime.txt", List.of("In database: d", "  public.t.c"))));
        assertEquals("FAIL  pg_upgrade --check: postfix operators: 250 listed in /srv/new15.cutover-report/20261126T1/postfix_ops.txt (fix: drop them "
                + "(DROP OPERATOR name (type, NONE)) or replace them with prefix operators or function calls, and change the queries that use them)",
                checks.get(0).line());
        assertTrue(checks.get(1).line().contains("libraries the new version cannot load") && checks.get(1).fix().contains("drop the functions that use it"),
                checks.get(1).line());
        assertTrue(checks.get(2).line().contains("abstime columns") && checks.get(2).fix().contains("abstime is gone"), checks.get(2).line());
        assertTrue(ctx.lines.contains("  " + ops.get(PgUpgradeReport.LISTED - 1)), "the first lines in full");
        assertTrue(ctx.lines.contains("  … and " + (ops.size() - PgUpgradeReport.LISTED) + " more lines in /srv/new15.cutover-report/20261126T1/postfix_ops.txt"),
                String.join("\n", ctx.lines));
    }

    @Test
    void theOutageIsEstimatedFromTheMeasurementAndSaysWhatItLeavesOut() {
        Check link = OutageRehearsal.verdict(List.of("restore-errors 0", "pg_upgrade 0 6100", "start 0 140"), 0, "link", "/m", 1 << 30, 1334);
        assertEquals("ok    expected outage: about 6.2s: pg_upgrade --link took 6.1s on a schema-only copy of the old cluster (1334 relations in "
                + "pg_class), the new server's start 140ms; add the old server's shutdown (its last checkpoint)", link.line());
        Check copy = OutageRehearsal.verdict(List.of("restore-errors 2", "pg_upgrade 0 6100", "start 0 140"), 0, "copy", "/m", 1 << 30, 1334);
        assertTrue(copy.line().contains("2 statements of the schema did not restore into the copy")
                && copy.line().contains("the copy of 1073741824 bytes of data files, not in this measurement"), copy.line());
        Check failed = OutageRehearsal.verdict(List.of("restore-errors 0", "pg_upgrade 1 3000", "log pg_restore: error: could not execute query"),
                0, "link", "/m", 0, 10);
        assertEquals(Check.Status.FAIL, failed.status(), failed.line());
        assertTrue(failed.line().contains("pg_restore: error: could not execute query; kept in /m"), failed.line());
        Check unfaithful = OutageRehearsal.verdict(List.of("restore-errors 3", "pg_upgrade 1 3000"), 0, "link", "/m", 0, 10);
        assertEquals(Check.Status.WARN, unfaithful.status(), "a copy that did not restore cleanly proves nothing about the window");
        Check noStart = OutageRehearsal.verdict(List.of("restore-errors 0", "pg_upgrade 0 6100", "start 1 30000",
                "log FATAL:  could not load library \"/opt/ext.so\""), 0, "link", "/m", 0, 10);
        assertEquals(Check.Status.FAIL, noStart.status(), "an upgraded copy that does not start is no estimate: " + noStart.line());
        assertTrue(noStart.line().contains("did not start (pg_ctl exit 1): FATAL:  could not load library"), noStart.line());
        Check notMeasured = OutageRehearsal.verdict(List.of("dump-failed pg_dumpall: error: permission denied"), 5, "link", "/m", 0, 10);
        assertEquals("not measured: pg_dumpall --schema-only of the old cluster failed: pg_dumpall: error: permission denied", notMeasured.detail());
    }

    @Test
    void aLibraryTheScriptNeverAnsweredForCountsAsNotLoaded() {
        List<Libraries.Used> used = List.of(new Libraries.Used("$libdir/citext", 30, new TreeSet<>(List.of("appdb"))),
                new Libraries.Used("/opt/regress.so", 16, new TreeSet<>(List.of("regression"))),
                new Libraries.Used("/opt/refint.so", 2, new TreeSet<>(List.of("regression"))));
        Map<String, String> failed = Libraries.parseLoad(List.of("cutover:load 0 ok",
                "cutover:load 1 fail ERROR:  incompatible library \"/opt/regress.so\": version mismatch"), used);
        assertEquals(Map.of("/opt/regress.so", "ERROR:  incompatible library \"/opt/regress.so\": version mismatch",
                "/opt/refint.so", "not loaded: the check did not get that far"), failed);
        Check c = Libraries.loaded(used, failed, "15", "a scratch 15 cluster");
        assertTrue(c.line().startsWith("FAIL  C libraries load: 2 of 3 cannot be loaded by 15: /opt/regress.so (16 functions in regression): ERROR:"), c.line());
    }
}
