package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * PostgreSQL 13 → 15 by logical replication on the lab, under pgbench through PgBouncer: the
 * pre-flight refuses what would break, the cut proves with a marker and loses nothing, the way
 * back loses nothing either, and clean-up leaves no slot, subscription or publication.
 */
@LabTest
class LogicalCutoverTest {
    private static final String CONNECT = "old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\n"
            + "neu = connect 'new15', url: params.new15_url, pgdata: params.new15_pgdata, bindir: params.new15_bindir";
    private static final String FREEZE = "f = freeze pgbouncer: params.pgbouncer_url, databases: [params.app_db], timeout: 10";
    private final Lab lab;
    private Shell shell;
    private int neu;

    LogicalCutoverTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void lab() throws Exception {
        lab.reset();
        LogicalLab.newEmpty15(lab);
        neu = Integer.parseInt(lab.param("new15_port"));
        shell = new Shell(lab.params());
        shell.eval(CONNECT);
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private long history(int port) throws Exception {
        return ((Number) lab.query(port, "appdb", "select count(*) as n from pgbench_history").get(0).get("n")).longValue();
    }

    private long count(int port, String db, String sql) throws Exception {
        return ((Number) lab.query(port, db, sql).get(0).values().iterator().next()).longValue();
    }

    @Test
    void preflightRefusesWithoutWalLevelLogicalAndForUpdatedTablesWithoutKey() throws Exception {
        LogicalLab.oldWalLevel(lab, "replica");
        shell.eval(CONNECT); // old restarted: a fresh session
        String err = shell.error("replicate from: old, to: neu, mode: 'logical'");
        assertTrue(err.contains("wal_level on old: replica") && err.contains("ALTER SYSTEM SET wal_level = logical")
                && err.contains("needs a restart"), err);
        assertTrue(err.contains("nothing was changed"), err);
        assertEquals(0, count(neu, "postgres", "select count(*) from pg_subscription"), "nothing made on the target");

        LogicalLab.oldWalLevel(lab, "logical");
        shell.eval(CONNECT);
        lab.query(Lab.PORT_BASE, "appdb", "create table audit_nokey (x int); insert into audit_nokey values (1), (2); update audit_nokey set x = 3 where x = 1");
        Thread.sleep(1500); // the statistics collector hears of the UPDATE within its 500 ms interval
        err = shell.error("replicate from: old, to: neu, mode: 'logical'");
        assertTrue(err.contains("tables without key") && err.contains("appdb:public.audit_nokey") && err.contains("replicaIdentityFull: true"), err);
        assertEquals(0, count(Lab.PORT_BASE, "postgres", "select count(*) from pg_replication_slots where slot_type = 'logical'"), "no slot made");
        lab.query(Lab.PORT_BASE, "appdb", "drop table audit_nokey");
    }

    @Test
    void cutUnderLoadThenTheWayBackLosingNothingThenCleanUp() throws Exception {
        LogicalLab.oldWalLevel(lab, "logical");
        shell.eval(CONNECT);
        // A sequence nobody owns: the kind tools forget.
        lab.query(Lab.PORT_BASE, "appdb", "create sequence if not exists invoice_no; select setval('invoice_no', 4242)");
        long before = history(Lab.PORT_BASE);
        Lab.Pgbench load = lab.pgbench("-c", "4", "-j", "2", "-T", "25");
        Thread.sleep(1000);
        shell.clear();
        shell.eval("r = replicate from: old, to: neu, mode: 'logical', replicaIdentityFull: true");
        String out = shell.outputText();
        assertTrue(out.contains("REPLICA IDENTITY FULL will be set") && out.contains("pgbench_history"), out);
        assertTrue(out.contains("initial copy of appdb done"), out);
        assertEquals("logical", String.valueOf(lab.query(neu, "postgres", "show wal_level").get(0).get("wal_level")), "way back prepared");
        Object lag = shell.eval("lag(old, neu)");
        assertTrue(String.valueOf(shell.eval("lag(old, neu).state")).equals("streaming"), String.valueOf(lag));

        String refused = shell.error("promote neu, from: old");
        assertTrue(refused.contains("not frozen"), refused);

        // DDL on one side only: the cut compares one schema digest per database and, when they differ, names the objects.
        long subscriptions = count(neu, "postgres", "select count(*) from pg_subscription where subname = 'cutover' and subenabled");
        lab.query(neu, "appdb", "alter table pgbench_branches add column note text; create table only_here (id int primary key)");
        String early = shell.error("promote neu, from: old, prepare: true");
        assertTrue(early.contains("appdb: table public.only_here (only on new15)") && early.contains("nothing was changed"), "before the window too: " + early);
        shell.eval(FREEZE);
        String ddl = shell.error("promote neu, from: old");
        shell.eval("unfreeze f");
        assertTrue(ddl.contains("appdb: table public.pgbench_branches (columns or constraints differ)")
                && ddl.contains("appdb: table public.only_here (only on new15)") && ddl.contains("nothing was changed"), ddl);
        assertTrue(subscriptions > 0, "subscriptions");
        assertEquals(subscriptions, count(neu, "postgres", "select count(*) from pg_subscription where subname = 'cutover' and subenabled"), "the link is untouched");
        lab.query(neu, "appdb", "alter table pgbench_branches drop column note; drop table only_here");
        // A sequence used after replicate set them all: the cut sets it again.
        lab.query(Lab.PORT_BASE, "appdb", "select setval('invoice_no', 5151)");

        shell.clear();
        String ready = String.valueOf(shell.eval("promote(neu, from: old, prepare: true).summary()"));
        assertTrue(ready.contains("ready to cut old → new15") && ready.contains("connections kept open for the window"), ready);
        shell.eval(FREEZE + "\np = promote neu, from: old\n"
                + "flipAlias params.app_db, to: neu, pgbouncer: params.pgbouncer_url, config: params.pgbouncer_config\nu = unfreeze f");
        String window = shell.outputText();
        String cut = String.valueOf(shell.eval("p.summary()"));
        assertTrue(cut.contains("the way back runs"), cut);
        System.out.println("[logical cut] " + cut + "\n[logical cut] " + shell.eval("u.summary()"));
        Lab.Tally tally = load.await();
        assertEquals(0, tally.failed(), tally.output());
        assertEquals(0, tally.exit(), tally.output());
        assertEquals(before + tally.processed(), history(neu), "every committed transaction arrived on neu\n" + window);
        for (Map<String, Object> s : lab.query(Lab.PORT_BASE, "appdb", "select format('%I.%I', schemaname, sequencename) as s, last_value from pg_sequences where last_value is not null")) {
            long onNew = count(neu, "appdb", "select last_value from pg_sequences where format('%I.%I', schemaname, sequencename) = '" + s.get("s") + "'");
            assertTrue(onNew >= ((Number) s.get("last_value")).longValue(), s + " on neu: " + onNew);
        }
        assertEquals(5151, count(neu, "appdb", "select last_value from invoice_no"));

        // The way back, under load on neu: nothing neu committed is lost.
        long before2 = history(neu);
        Lab.Pgbench load2 = lab.pgbench("-c", "4", "-j", "2", "-T", "8");
        Thread.sleep(2000);
        shell.clear();
        shell.eval(FREEZE + "\nb = promote old, from: neu, reverse: false\n"
                + "flipAlias params.app_db, to: old, pgbouncer: params.pgbouncer_url, config: params.pgbouncer_config\nunfreeze f");
        System.out.println("[logical way back] " + shell.eval("b.summary()"));
        Lab.Tally tally2 = load2.await();
        assertEquals(0, tally2.failed(), tally2.output());
        assertEquals(before2 + tally2.processed(), history(Lab.PORT_BASE), "every transaction committed on neu arrived back on old");

        shell.clear();
        shell.eval("replicate from: old, to: neu, mode: 'logical', drop: true");
        for (int port : List.of(Lab.PORT_BASE, neu)) {
            assertEquals(0, count(port, "postgres", "select count(*) from pg_replication_slots where slot_type = 'logical'"), "slots on " + port);
            assertEquals(0, count(port, "postgres", "select count(*) from pg_subscription"), "subscriptions on " + port);
            assertEquals(0, count(port, "appdb", "select count(*) from pg_publication"), "publications on " + port);
            assertEquals(0, count(port, "appdb", "select count(*) from pg_namespace where nspname = 'cutover'"), "marker schema on " + port);
        }
    }

    @Test
    void largeObjectsAreRefusedUntilAskedForThenCopiedAtTheCutAndOnTheWayBack() throws Exception {
        LogicalLab.oldWalLevel(lab, "logical");
        long hello = count(Lab.PORT_BASE, "appdb", "select lo_from_bytea(0, 'hello'::bytea)::bigint");
        lab.query(Lab.PORT_BASE, "appdb", "do $$ begin if not exists (select from pg_roles where rolname = 'lo_reader') then create role lo_reader; end if; end $$; "
                + "grant select on large object " + hello + " to lo_reader; alter large object " + hello + " owner to app");
        try {
            shell.eval(CONNECT);
            String err = shell.error("replicate from: old, to: neu, mode: 'logical'");
            assertTrue(err.contains("large objects") && err.contains("appdb (1)") && err.contains("largeObjects: 'copy'"), err);
            shell.eval("replicate from: old, to: neu, mode: 'logical', acknowledge: ['large-objects']");

            shell.eval(FREEZE);
            String refused = shell.error("promote neu, from: old");
            shell.eval("unfreeze f");
            assertTrue(refused.contains("holds large objects") && refused.contains("appdb (1, 5 bytes)") && refused.contains("nothing was changed"), refused);
            assertEquals(0, count(neu, "appdb", "select count(*) from pg_largeobject_metadata"), "not carried by the link");

            shell.clear();
            shell.eval(FREEZE + "\np = promote neu, from: old, largeObjects: 'copy'\nunfreeze f");
            assertTrue(String.valueOf(shell.eval("p.rows()")).contains("large_objects=1 copied"), shell.outputText());
            assertEquals("hello", lab.query(neu, "appdb", "select convert_from(lo_get(" + hello + "), 'UTF8') as t").get(0).get("t"));
            Map<String, Object> meta = lab.query(neu, "appdb", "select pg_get_userbyid(lomowner) as owner, lomacl::text as acl from pg_largeobject_metadata "
                    + "where oid = " + hello).get(0);
            assertEquals("app", meta.get("owner"));
            assertTrue(String.valueOf(meta.get("acl")).contains("lo_reader=r/"), String.valueOf(meta.get("acl")));

            // Written on the new server after the cut: the way back carries both the change and the new object.
            lab.query(neu, "appdb", "select lo_put(" + hello + ", 0, 'HELLO'::bytea)");
            long later = count(neu, "appdb", "select lo_from_bytea(0, 'written on new15'::bytea)::bigint");
            shell.eval(FREEZE + "\nb = promote old, from: neu, reverse: false, largeObjects: 'copy'\nunfreeze f");
            assertEquals("HELLO", lab.query(Lab.PORT_BASE, "appdb", "select convert_from(lo_get(" + hello + "), 'UTF8') as t").get(0).get("t"));
            assertEquals("written on new15", lab.query(Lab.PORT_BASE, "appdb", "select convert_from(lo_get(" + later + "), 'UTF8') as t").get(0).get("t"));
            assertEquals(2, count(Lab.PORT_BASE, "appdb", "select count(*) from pg_largeobject_metadata"));
            shell.eval("replicate from: old, to: neu, mode: 'logical', drop: true");
        } finally {
            lab.query(Lab.PORT_BASE, "appdb", "select count(lo_unlink(oid)) from pg_largeobject_metadata");
            lab.query(Lab.PORT_BASE, "postgres", "drop role if exists lo_reader");
        }
    }

    /**
     * A table an application migration creates on both sides while the link runs matches in the schema digests,
     * but the subscription never heard of it and applies none of its rows: the cut refuses and says how to add it.
     */
    @Test
    void aTableCreatedAfterTheLinkIsRefusedUntilTheSubscriptionIsRefreshed() throws Exception {
        LogicalLab.oldWalLevel(lab, "logical");
        shell.eval(CONNECT);
        try {
            shell.eval("replicate from: old, to: neu, mode: 'logical'");
            lab.query(neu, "appdb", "create table late_table (id int primary key)");
            lab.query(Lab.PORT_BASE, "appdb", "create table late_table (id int primary key); insert into late_table select generate_series(1, 5)");

            shell.eval(FREEZE);
            String refused = shell.error("promote neu, from: old");
            shell.eval("unfreeze f");
            assertTrue(refused.contains("appdb: public.late_table published by old but not in subscription")
                    && refused.contains("REFRESH PUBLICATION") && refused.contains("nothing was changed"), refused);
            assertEquals(0, count(neu, "appdb", "select count(*) from late_table"), "the link carried none of its rows");

            lab.query(neu, "appdb", "alter subscription cutover refresh publication");
            String last = null;
            for (int i = 0; i < 60 && (last = prepared()) != null; i++) Thread.sleep(500);
            assertEquals(null, last, "once refreshed and copied, the cut's checks pass");
            assertEquals(5, count(neu, "appdb", "select count(*) from late_table"));
        } finally {
            shell.eval("replicate from: old, to: neu, mode: 'logical', drop: true");
            lab.query(Lab.PORT_BASE, "appdb", "drop table if exists late_table");
        }
    }

    /**
     * A sequence set back or restarted on the source (is_called false) reads null in pg_sequences: the cut still
     * carries it, so the first id the new server hands out is the one the source would have handed out.
     */
    @Test
    void aSequenceSetBackOnTheSourceContinuesThereOnTheNewServer() throws Exception {
        LogicalLab.oldWalLevel(lab, "logical");
        shell.eval(CONNECT);
        lab.query(Lab.PORT_BASE, "appdb", "create sequence restart_seq; select setval('restart_seq', 100, false)");
        try {
            shell.eval("replicate from: old, to: neu, mode: 'logical'");
            shell.eval(FREEZE + "\np = promote neu, from: old\nunfreeze f");
            assertEquals(100, count(neu, "appdb", "select nextval('restart_seq')"), "the value the source would have handed out next");
        } finally {
            shell.eval("replicate from: old, to: neu, mode: 'logical', drop: true");
            lab.query(Lab.PORT_BASE, "appdb", "drop sequence if exists restart_seq");
        }
    }

    /** A freeze the session believes in but PgBouncer no longer holds (resumed by hand) is no freeze: the cut refuses. */
    @Test
    void aFreezeNoLongerInForceIsRefusedAtTheCut() throws Exception {
        LogicalLab.oldWalLevel(lab, "logical");
        shell.eval(CONNECT);
        try {
            shell.eval("replicate from: old, to: neu, mode: 'logical'");
            shell.eval(FREEZE);
            Process resume = new ProcessBuilder("/usr/lib/postgresql/15/bin/psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(Lab.BOUNCER_PORT),
                    "-U", "postgres", "-c", "RESUME appdb", "pgbouncer").redirectErrorStream(true).start();
            assertEquals(0, resume.waitFor(), new String(resume.getInputStream().readAllBytes()));
            String refused = shell.error("promote neu, from: old");
            assertTrue(refused.contains("the freeze is not in force") && refused.contains("no longer holds appdb paused")
                    && refused.contains("nothing was changed"), refused);
            shell.eval("unfreeze f");
        } finally {
            shell.eval("replicate from: old, to: neu, mode: 'logical', drop: true");
        }
    }

    /** The cut's checks with writes flowing (prepare: true): null when they pass, else the refusal. */
    private String prepared() {
        try {
            shell.eval("promote neu, from: old, prepare: true");
            return null;
        } catch (AssertionError e) {
            return e.getMessage();
        }
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
