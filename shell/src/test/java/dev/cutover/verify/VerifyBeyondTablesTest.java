package dev.cutover.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * What verify compares besides ordinary tables: column order does not matter (a dump reorders the
 * columns of inheritance children), large objects, materialized views, unlogged and foreign tables.
 * Everything lives in a database of its own, dropped after each test.
 */
@LabTest
class VerifyBeyondTablesTest {
    private static final String DB = "verify_extra";
    private final Lab lab;
    private Shell shell;

    VerifyBeyondTablesTest(Lab lab) {
        this.lab = lab;
    }

    private void sql(String text) throws Exception {
        lab.query(Lab.PORT_BASE, DB, text);
    }

    @BeforeEach
    void database() throws Exception {
        lab.reset();
        lab.query(Lab.PORT_BASE, "postgres", "drop database if exists " + DB);
        lab.query(Lab.PORT_BASE, "postgres", "create database " + DB);
        shell = new Shell(lab.params());
        shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata");
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
        lab.query(Lab.PORT_BASE, "postgres", "drop database if exists " + DB + " with (force)");
    }

    private String snapshotThenVerify(String change) throws Exception {
        shell.eval("snap = snapshot old, databases: ['" + DB + "']");
        if (change != null) sql(change);
        shell.clear();
        return shell.error("verify old, against: snap");
    }

    @Test
    void anInheritanceChildWhoseColumnsADumpReorderedIsEqual() throws Exception {
        // What pg_dump does to a child created with its own column order and attached by INHERIT: (c, b, a) comes back as (a, b, c).
        sql("create table parent (a int, b text); create table child (c int, b text, a int); alter table child inherit parent;"
                + "insert into child select g, 'b' || g, g * 2 from generate_series(1, 100) g; insert into parent values (0, 'p')");
        shell.eval("snap = snapshot old, databases: ['" + DB + "']");
        sql("create table child2 (a int, b text, c int); insert into child2 (a, b, c) select a, b, c from child; drop table child;"
                + "alter table child2 rename to child; alter table child inherit parent");
        shell.clear();
        shell.eval("verify old, against: snap");
        assertTrue(shell.outputText().contains("ok    tables: 2 tables: row counts and content hashes equal"), shell.outputText());
        // A real difference in the reordered child is still seen.
        sql("update child set c = c + 1 where a = 10");
        String error = shell.error("verify old, against: snap");
        assertTrue(error.contains(DB + ":public.child (same 100 rows, different content)"), error);
        assertFalse(error.contains("public.parent"), error);
    }

    /**
     * A role that row-level security applies to would hash only the rows its policies show, the same subset
     * on both sides: the snapshot fails instead of comparing less than the table holds.
     */
    @Test
    void rowsHiddenByRowLevelSecurityFailTheSnapshotInsteadOfBeingLeftOut() throws Exception {
        try {
            lab.query(Lab.PORT_BASE, "postgres", "drop role if exists rls_owner; create role rls_owner login");
            sql("create table accounts (id int, hidden bool); insert into accounts select g, g % 2 = 0 from generate_series(1, 10) g;"
                    + "alter table accounts owner to rls_owner; alter table accounts enable row level security;"
                    + "alter table accounts force row level security; create policy visible on accounts using (not hidden)");
            shell.eval("own = connect 'own', url: 'postgresql://rls_owner@127.0.0.1:" + lab.oldPort() + "/" + DB + "'");
            String error = shell.error("snapshot own, databases: ['" + DB + "']");
            assertTrue(error.contains("accounts") && error.contains("row-level security"), error);
            assertFalse(shell.outputText().contains("5 rows"), shell.outputText());
        } finally {
            lab.query(Lab.PORT_BASE, "postgres", "drop database if exists " + DB + " with (force); drop role if exists rls_owner");
        }
    }

    @Test
    void largeObjectsAreComparedByCountAndContent() throws Exception {
        sql("select lo_from_bytea(424242, 'hello large object'); select lo_from_bytea(424243, decode(repeat('ab', 5000), 'hex'))");
        shell.eval("snap = snapshot old, databases: ['" + DB + "']");
        shell.clear();
        shell.eval("verify old, against: snap");
        assertTrue(shell.outputText().contains("ok    large objects: " + DB + ": 2 large objects, content equal"), shell.outputText());
        sql("select lo_put(424243, 100, 'x')");
        String changed = shell.error("verify old, against: snap");
        assertTrue(changed.contains("large objects: " + DB + ": same 2 large objects, different content"), changed);
        sql("select lo_unlink(424242)");
        String missing = shell.error("verify old, against: snap");
        assertTrue(missing.contains("large objects: " + DB + ": 1 large objects, the snapshot had 2"), missing);
    }

    @Test
    void materializedViewsAreComparedByStateRowsAndContent() throws Exception {
        sql("create table base as select g as id from generate_series(1, 20) g; create materialized view mv as select id, id * 2 as twice from base;"
                + "create materialized view empty_mv as select 1 as one with no data");
        shell.eval("snap = snapshot old, databases: ['" + DB + "']");
        shell.clear();
        shell.eval("verify old, against: snap");
        assertTrue(shell.outputText().contains("ok    materialized views: 2 materialized views: populated state, row counts and content hashes equal"),
                shell.outputText());
        sql("delete from base where id = 1; refresh materialized view mv");
        String refreshed = shell.error("verify old, against: snap");
        assertTrue(refreshed.contains(DB + ":public.mv (19 rows, snapshot had 20)"), refreshed);
        sql("insert into base values (1); refresh materialized view mv; refresh materialized view empty_mv");
        String populated = shell.error("verify old, against: snap");
        assertTrue(populated.contains(DB + ":public.empty_mv (populated, the snapshot had it not populated)"), populated);
    }

    /**
     * A view that now equals its own query is called "refreshed by the copy" only when every table it reads (through
     * views too) was compared equal: over tables left out of the snapshot, its query proves nothing.
     */
    @Test
    void aChangedViewIsExplainedAsRefreshedOnlyWhenEveryTableItReadsWasComparedEqual() throws Exception {
        sql("create table base as select g as id from generate_series(1, 20) g; create view over_base as select id from base;"
                + "create materialized view mv as select id, id * 2 as twice from over_base; delete from base where id = 1");
        // Stale when the snapshot is taken (20 rows over a base of 19), refreshed after, as a dump's restore does.
        shell.eval("snap = snapshot old, databases: ['" + DB + "']");
        sql("refresh materialized view mv");
        shell.clear();
        shell.eval("verify old, against: snap");
        assertTrue(shell.outputText().contains("warn  materialized views: 1 of 1 were stale on old"), shell.outputText());

        // The same with only the view in the snapshot: base was never compared, so the difference fails.
        sql("insert into base values (1)");
        shell.eval("only = snapshot old, databases: ['" + DB + "'], tables: ['mv']");
        sql("refresh materialized view mv");
        String error = shell.error("verify old, against: only");
        assertTrue(error.contains("materialized views: 1 of 1 differ") && error.contains(DB + ":public.mv (20 rows, snapshot had 19)"), error);
    }

    @Test
    void unloggedAndForeignTablesAreListedAndWhatAPromoteDoesToUnloggedDataIsSaid() throws Exception {
        sql("create unlogged table scratch as select g from generate_series(1, 30) g; create extension postgres_fdw;"
                + "create server elsewhere foreign data wrapper postgres_fdw; create foreign table remote (a int) server elsewhere");
        shell.eval("snap = snapshot old, databases: ['" + DB + "']");
        shell.clear();
        shell.eval("verify old, against: snap");
        String out = shell.outputText();
        assertTrue(out.contains("ok    unlogged tables: 1 present, rows and content equal: " + DB + ":public.scratch"), out);
        assertTrue(out.contains("ok    foreign tables: 1 present (their data lives on the foreign server and is not compared): " + DB + ":public.remote"), out);
        // What a promoted standby shows: unlogged tables are reset (emptied) at promote.
        sql("truncate scratch");
        shell.clear();
        shell.eval("verify old, against: snap");
        assertTrue(shell.outputText().contains("warn  unlogged tables: " + DB + ":public.scratch (0 rows, snapshot had 30)")
                && shell.outputText().contains("a promoted standby has them empty"), shell.outputText());
        sql("drop foreign table remote; drop table scratch");
        String gone = shell.error("verify old, against: snap");
        assertTrue(gone.contains("unlogged tables: missing: " + DB + ":public.scratch"), gone);
        assertTrue(gone.contains("foreign tables: missing: " + DB + ":public.remote"), gone);
    }
}
