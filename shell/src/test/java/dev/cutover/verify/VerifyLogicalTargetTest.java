package dev.cutover.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;
import dev.cutover.replication.LogicalLab;

/**
 * verify on the target of a logical cut (PostgreSQL 13 → 15): one link for the class, replicated,
 * frozen, snapshotted and cut once. Every table equals the snapshot (cutover's own marker table,
 * written by the proof after the snapshot, is not the application's data), sequences may be ahead
 * of the snapshot but never behind, a row deleted on the target is named, and large objects, which
 * logical replication does not carry, are reported missing.
 */
@LabTest
class VerifyLogicalTargetTest {
    private static final String CONNECT = "old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\n"
            + "neu = connect 'new15', url: params.new15_url, pgdata: params.new15_pgdata, bindir: params.new15_bindir";
    private static Lab lab;
    private static Shell shell;
    private static int neu;

    @BeforeAll
    static void cut(Lab theLab) throws Exception {
        lab = theLab;
        LogicalLab.newEmpty15(lab);
        LogicalLab.oldWalLevel(lab, "logical");
        neu = Integer.parseInt(lab.param("new15_port"));
        // Sequences: one owned by a column, one nobody owns (the kind tools forget).
        // Left by an earlier class of the run (LogicalCutoverTest makes invoice_no too): start from none.
        lab.query(Lab.PORT_BASE, "appdb", "drop table if exists orders; drop sequence if exists invoice_no");
        lab.query(Lab.PORT_BASE, "postgres", "drop database if exists lodb");
        lab.query(Lab.PORT_BASE, "appdb", "create table orders (id bigserial primary key, note text); "
                + "insert into orders (note) select 'order ' || g from generate_series(1, 50) g; "
                + "create sequence invoice_no; select setval('invoice_no', 4242)");
        // A database with a large object: logical replication does not carry it, so the link needs it acknowledged.
        lab.query(Lab.PORT_BASE, "postgres", "create database lodb");
        lab.query(Lab.PORT_BASE, "lodb", "select lo_from_bytea(0, 'not carried by logical replication'::bytea)");
        shell = new Shell(lab.params());
        shell.eval(CONNECT);
        String refused = shell.error("replicate from: old, to: neu, mode: 'logical'");
        assertTrue(refused.contains("large objects") && refused.contains("lodb (1)"), refused);
        shell.eval("replicate from: old, to: neu, mode: 'logical', acknowledge: ['large-objects']");
        shell.eval("f = freeze pgbouncer: params.pgbouncer_url, databases: [params.app_db], timeout: 10\n"
                + "snap = snapshot old, databases: ['appdb', 'postgres']\n"
                + "snapAll = snapshot old\n"
                + "promote neu, from: old, largeObjects: 'skip'\n"   // lodb's object stays behind: verify must say so
                + "unfreeze f");
        // The way back's subscriptions connect to neu a moment after the cut: verify lists the walsenders it sees.
        for (int i = 0; i < 200; i++) {
            Object active = lab.query(neu, "postgres", "select count(*) as n from pg_replication_slots where slot_name like 'cutover_back_%' and active")
                    .get(0).get("n");
            if (((Number) active).intValue() >= 2) break;
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (shell != null) shell.close();
        lab.reset(); // drops the links (a subscription holds lodb open)
        lab.query(Lab.PORT_BASE, "postgres", "drop database if exists lodb");
        lab.query(Lab.PORT_BASE, "appdb", "drop table if exists orders; drop sequence if exists invoice_no");
    }

    private static String verify(String against) {
        shell.clear();
        shell.eval("verify neu, version: 15, against: " + against);
        return shell.outputText();
    }

    @Test
    void everyTableAndSequenceOfTheSourceIsOnTheTarget() {
        String out = verify("snap");
        assertTrue(out.contains("ok    tables") && out.contains("equal the snapshot of old (not compared: appdb:cutover.marker, postgres:cutover.marker, "), out);
        assertTrue(out.contains("ok    sequences"), out);
        assertTrue(out.contains("ok    large objects"), out);
        // The way back's walsender on the new server serves a subscription, not a standby.
        assertTrue(out.contains("subscriber cutover_back@") && out.contains("(logical slot cutover_back_appdb)") && !out.contains("standby cutover_back"), out);
    }

    @Test
    void sequencesAheadOfTheSnapshotPassAndBehindFail() throws Exception {
        // Applications writing to the new server move its sequences past the source's values: still ok.
        lab.query(neu, "appdb", "begin; insert into orders (note) select 'rolled back' from generate_series(1, 5); rollback; "
                + "select nextval('invoice_no')");
        String out = verify("snap");
        assertTrue(out.contains("ok    sequences"), out);
        assertTrue(out.contains("ok    tables"), out);
        // Behind the source's value: the next insert would reuse an id the source handed out.
        lab.query(neu, "appdb", "select setval('invoice_no', 4000)");
        try {
            String error = shell.error("verify neu, against: snap");
            assertTrue(error.contains("sequences: behind or missing: appdb:public.invoice_no at 4000, was 4242"), error);
        } finally {
            lab.query(neu, "appdb", "select setval('invoice_no', 4243)");
        }
    }

    @Test
    void aRowDeletedOnTheTargetIsNamed() throws Exception {
        lab.query(neu, "appdb", "delete from orders where id = 7");
        try {
            String error = shell.error("verify neu, against: snap");
            assertTrue(error.contains("tables: 1 of ") && error.contains("appdb:public.orders (49 rows, snapshot had 50)"), error);
            assertFalse(error.contains("pgbench_accounts"), error);
        } finally {
            lab.query(neu, "appdb", "insert into orders (id, note) values (7, 'order 7')");
        }
    }

    @Test
    void largeObjectsTheLinkDidNotCarryAreMissing() {
        shell.clear();
        String error = shell.error("verify neu, against: snapAll");
        assertTrue(error.contains("large objects: lodb: all 1 large objects of the snapshot missing"), error);
        assertFalse(shell.outputText().contains("ok    large objects"), shell.outputText());
    }
}
