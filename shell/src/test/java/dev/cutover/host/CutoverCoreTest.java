package dev.cutover.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/** replicate, freeze/unfreeze, promote and the PgBouncer flip, on the real lab, under real pgbench load. */
@LabTest
class CutoverCoreTest {
    private final Lab lab;
    private Shell shell;

    CutoverCoreTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void freshLab() throws Exception {
        lab.reset();
        shell = new Shell(lab.params());
        shell.eval("old = connect 'old', url: params.old_url.replaceAll('/postgres$', '/appdb'), ssh: params.old_ssh, pgdata: params.old_pgdata\n"
                + "neu = connect 'new', url: params.new_url.replaceAll('/postgres$', '/appdb'), ssh: params.new_ssh, pgdata: params.new_pgdata, bindir: params.new_bindir");
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private void replicate() {
        shell.eval("replicate from: old, to: neu, slot: 'cutover'");
    }

    private long count(int port, String sql) throws Exception {
        return ((Number) lab.query(port, "appdb", sql).get(0).values().iterator().next()).longValue();
    }

    @Test
    void aReplicaBuiltOverSshStreamsAndCatchesUpAfterABurst() throws Exception {
        Object status = shell.eval("replicate from: old, to: neu, slot: 'cutover'");
        assertTrue(status.toString().contains("streaming"), status.toString());
        assertTrue(shell.outputText().contains("ok    pg_hba replication: a replication connection from " + lab.param("new_ssh")));
        Lab.Tally burst = lab.pgbench("-c", "4", "-t", "300").await();
        assertEquals(0, burst.exit(), burst.output());
        long lag = -1;
        for (int i = 0; i < 50 && lag != 0; i++) {
            lag = ((Number) shell.eval("lag(old, neu).lagBytes")).longValue();
            if (lag != 0) Thread.sleep(100);
        }
        assertEquals(0, lag, "lag after the burst");
        assertEquals("streaming", shell.eval("lag(old, neu).state"));
        assertEquals(count(Lab.PORT_BASE, "select count(*) from pgbench_history"), count(Lab.PORT_BASE + 1, "select count(*) from pgbench_history"));
        // Running it again is harmless and says so.
        shell.clear();
        shell.eval("replicate from: old, to: neu, slot: 'cutover'");
        assertTrue(shell.outputText().contains("new already streams from old: nothing to do"), shell.outputText());
    }

    @Test
    void freezePromoteFlipUnfreezeUnderLoadLosesNothing() throws Exception {
        replicate();
        long before = count(Lab.PORT_BASE, "select count(*) from pgbench_history");
        Lab.Pgbench load = lab.pgbench("-c", "4", "-j", "2", "-T", "8");
        Thread.sleep(2500);
        shell.eval("f = freeze pgbouncer: params.pgbouncer_url, databases: ['appdb'], timeout: 10\n"
                + "promote neu, from: old\n"
                + "flipAlias 'appdb', to: neu, pgbouncer: params.pgbouncer_url\n"
                + "unfreeze f");
        Lab.Tally t = load.await();
        assertEquals(0, t.exit(), t.output());
        assertEquals(0, t.failed(), t.output());
        assertTrue(t.processed() > 100, t.output());
        long arrived = count(Lab.PORT_BASE + 1, "select count(*) from pgbench_history") - before;
        assertEquals(t.processed(), arrived, "every committed transaction is on the promoted server");
        assertFalse((Boolean) shell.eval("neu.inRecovery"));
        assertEquals(2, shell.eval("neu.timeline"));
        assertTrue(shell.outputText().matches("(?s).*unfrozen pgbouncer 127.0.0.1:" + Lab.BOUNCER_PORT + " appdb after \\d+ms.*"), shell.outputText());
    }

    @Test
    void aFreezeBlockedByALongTransactionFailsWithinItsBudgetAndResumes() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("preferQueryMode", "simple");
        try (Connection holder = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Lab.BOUNCER_PORT + "/appdb", p)) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("update pgbench_accounts set abalance = abalance where aid = 1");
            }
            long t0 = System.nanoTime();
            String error = shell.error("freeze pgbouncer: params.pgbouncer_url, databases: ['appdb'], timeout: 2");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 4000, "took " + ms + " ms");
            assertTrue(error.contains("PAUSE appdb did not complete within 2s; PgBouncer was resumed"), error);
            assertTrue(error.contains("idle in transaction") && error.contains("update pgbench_accounts set abalance = abalance where aid = 1"),
                    "names the blocking session: " + error);
            holder.rollback();
        }
        Lab.Tally after = lab.pgbench("-c", "1", "-t", "20").await();
        assertEquals(0, after.exit(), "PgBouncer serves again: " + after.output());

    }

    @Test
    void promoteRefusesWhenTheReplicaIsStoppedAndChangesNothing() throws Exception {
        replicate();
        shell.eval("neu.stop()");
        String error = shell.error("promote neu, from: old, force: true");
        assertTrue(error.contains("refused at <input>") || error.contains("promote refused: new is not running"), error);
        assertTrue(error.contains("new is not running"), error);
        assertEquals(1L, count(Lab.PORT_BASE, "select 1"), "old was never stopped");
        assertTrue(Files.exists(Path.of(lab.param("new_pgdata"), "standby.signal")), "neu is still a standby");
    }

    @Test
    void promoteRefusesWhenTheReplicaCannotCatchUpAndOldCanStartAgain() throws Exception {
        replicate();
        shell.eval("neu.sql('select pg_wal_replay_pause()')");
        assertEquals(0, lab.pgbench("-c", "2", "-t", "50").await().exit());
        String error = shell.error("f = freeze pgbouncer: params.pgbouncer_url, databases: ['appdb']\npromote neu, from: old, timeout: '2s'");
        assertTrue(error.matches(".*promote refused: new replayed up to [0-9A-F/]+ but old's last WAL ends at [0-9A-F/]+ \\(waited 2s\\); nothing was promoted.*"), error);
        assertTrue((Boolean) shell.eval("neu.inRecovery"), "not promoted");
        shell.eval("old.start()\nunfreeze()");
        assertEquals(1L, count(Lab.PORT_BASE, "select 1"), "old serves again");
        assertEquals(0, lab.pgbench("-c", "1", "-t", "10").await().exit());
    }

    @Test
    void readOnlyFreezeStopsWritesOfEveryRoleUntilUnfreeze() throws Exception {
        String appUrl = "postgresql://app:app-secret@127.0.0.1:" + Lab.PORT_BASE + "/appdb";
        shell.eval("app = connect 'app', url: '" + appUrl + "'\nf = freeze old, mode: 'read-only', timeout: 5");
        String asApp = shell.error("app.sql(\"insert into customers (email) values ('frozen@example.org')\")");
        assertTrue(asApp.contains("cannot execute INSERT in a read-only transaction"), asApp);
        String asSuper = shell.error("old.sql('insert into pgbench_history (tid, bid, aid, delta, mtime) values (1, 1, 1, 0, now())')");
        assertTrue(asSuper.contains("read-only transaction"), asSuper);
        shell.eval("unfreeze f");
        shell.eval("app.sql(\"insert into customers (email) values ('thawed@example.org')\")");
        assertEquals(1L, count(Lab.PORT_BASE, "select count(*) from customers where email = 'thawed@example.org'"));
    }

    @Test
    void readOnlyFreezeWaitsForOlderTransactionsAndTerminatesThemAfterTheGrace() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Lab.PORT_BASE + "/appdb", "postgres", "")) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("select 1"); // a transaction begun before the freeze: still read-write
            }
            shell.eval("f = freeze old, mode: 'read-only', timeout: 5, grace: 1");
            assertTrue(shell.outputText().contains("terminated pid"), shell.outputText());
            shell.eval("unfreeze f");
        }
    }

    @Test
    void sessionPoolingIsRefusedBeforeAnythingIsPaused() throws Exception {
        Path ini = Path.of(lab.param("pgbouncer_config"));
        String original = Files.readString(ini);
        try {
            Files.writeString(ini, original.replace("pool_mode = transaction", "pool_mode = session"));
            Lab.shell("psql -X -q -h 127.0.0.1 -p " + Lab.BOUNCER_PORT + " -U postgres pgbouncer -c RELOAD");
            String error = shell.error("freeze pgbouncer: params.pgbouncer_url, databases: ['appdb']");
            assertTrue(error.contains("pool_mode for appdb is session"), error);
        } finally {
            Files.writeString(ini, original);
            Lab.shell("psql -X -q -h 127.0.0.1 -p " + Lab.BOUNCER_PORT + " -U postgres pgbouncer -c RELOAD");
        }
    }

    static Map<String, Object> row(java.util.List<Map<String, Object>> rows) {
        return rows.get(0);
    }
}
