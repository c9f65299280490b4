package dev.cutover.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.engine.NotebookListener;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * A server freeze across the window on the lab: promote stops the frozen primary, a no-connections
 * freeze closes databases on it and (by replication) on the promoted replica. Unfreeze, snapshot,
 * verify and upgrade must each tell the truth about that, never fail raw or pass over nothing.
 */
@LabTest
class FreezeAfterPromoteTest {
    private static final String TARGET = "bindir: params.new15_bindir, pgdata: params.new15_pgdata, port: params.new15_port";
    private final Lab lab;
    private Shell shell;
    private final List<Map<String, Object>> unfreezeEvents = new ArrayList<>();

    FreezeAfterPromoteTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void connect() throws Exception {
        lab.reset();
        shell = new Shell(lab.params());
        shell.notebook.addListener(new NotebookListener() {
            @Override
            public void event(String type, Map<String, Object> data, Instant at) {
                if (type.equals("unfreeze")) unfreezeEvents.add(new LinkedHashMap<>(data));
            }
        });
        shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\n"
                + "neu = connect 'new', url: params.new_url, ssh: params.new_ssh, pgdata: params.new_pgdata, bindir: params.new_bindir");
    }

    @AfterEach
    void close() {
        shell.close();
    }

    @Test
    void unfreezeOfAReadOnlyServerThatPromoteStoppedEndsTheFreezeAndSaysWhatStays() throws Exception {
        shell.eval("replicate from: old, to: neu, slot: 'cutover'\nf = freeze old, mode: 'read-only'\npromote neu, from: old");
        shell.clear();
        String summary = String.valueOf(shell.eval("unfreeze(f).summary()"));
        String out = shell.outputText();
        assertTrue(out.contains("old is stopped (promote stopped it at "), out);
        assertTrue(out.contains("nothing to undo there; default_transaction_read_only = on stays in its postgresql.auto.conf"), out);
        assertTrue(out.contains("start it and run ALTER SYSTEM RESET default_transaction_read_only; SELECT pg_reload_conf()"), out);
        assertTrue(summary.contains("writes were frozen for "), summary);
        // The window's end is in the transcript, measured, although nothing could be undone.
        assertEquals(1, unfreezeEvents.size(), unfreezeEvents.toString());
        assertEquals(Boolean.FALSE, unfreezeEvents.get(0).get("undone"));
        assertTrue(((Number) unfreezeEvents.get(0).get("frozenMs")).longValue() > 0, unfreezeEvents.toString());
        assertEquals("nothing was frozen", shell.eval("unfreeze().summary()"), "the freeze is over");
        // The stopped primary, the way back, still carries the setting it said stays.
        assertTrue(Files.readString(Path.of(lab.param("old_pgdata"), "postgresql.auto.conf")).contains("default_transaction_read_only = 'on'"));
    }

    @Test
    void snapshotAndVerifyRefuseNamingADatabaseTheFreezeClosed() throws Exception {
        shell.eval("f = freeze old, mode: 'no-connections'");
        String snapshot = shell.error("snapshot old");
        assertTrue(snapshot.contains("snapshot refused: old's database appdb (closed by the no-connections freeze freeze-1) does not allow connections"), snapshot);
        assertTrue(snapshot.contains("Snapshot before freezing with no-connections, or freeze with mode: 'read-only'"), snapshot);
        String verify = shell.error("verify old, against: false");
        assertTrue(verify.contains("verify refused: old's database appdb (closed by the no-connections freeze freeze-1)"), verify);
        shell.eval("unfreeze f");
        shell.eval("snap = snapshot old");
        assertTrue(String.valueOf(shell.eval("snap.summary()")).contains("snapshot of old: 5 tables"), String.valueOf(shell.eval("snap.summary()")));
    }

    @Test
    void aLinkUpgradeOfAReplicaPromotedUnderANoConnectionsFreezeOpensItsDatabasesAndTellsTheWayBack() throws Exception {
        shell.eval("replicate from: old, to: neu, slot: 'cutover'\nsnap = snapshot old\nf = freeze old, mode: 'no-connections'\npromote neu, from: old");
        shell.clear();
        shell.eval("up = upgrade neu, " + TARGET + ", method: 'link'");
        String out = shell.outputText();
        assertTrue(out.contains("new: opened appdb (closed by the no-connections freeze freeze-1 on old, which replicates to its standbys) "
                + "to connections: pg_upgrade needs every database but template0 open, and new takes no application traffic yet"), out);
        assertTrue(out.contains("ok    databases allow connections: opened appdb"), out);
        // With appdb open before the pre-flight, its extensions were checked too.
        assertTrue(out.contains("ok    extension citext: "), out);
        // pg_upgrade worked beside its new cluster, and cleaned up after itself.
        String workdir = lab.param("new15_pgdata") + ".cutover-upgrade";
        assertTrue(out.contains("pg_upgrade's working directory: " + workdir), out);
        assertFalse(out.contains("/tmp/cutover-upgrade"), out);
        assertFalse(Files.exists(Path.of(workdir)), "removed after success");
        // The way back is the primary promote stopped, not a backup.
        String rollback = String.valueOf(shell.eval("up.rollback"));
        assertTrue(rollback.contains("new's data directory " + lab.param("new_pgdata") + " can no longer be started"), rollback);
        assertTrue(rollback.contains("The way back is old, stopped cleanly by promote at "), rollback);
        assertTrue(rollback.contains("(data " + lab.param("old_pgdata") + " on "), rollback);
        assertTrue(rollback.contains("start it (old.start()), undo what freeze-1 (no-connections) left in it: psql "), rollback);
        assertTrue(rollback.contains("ALLOW_CONNECTIONS true"), rollback);
        assertTrue(rollback.contains("every write made on new15 since the cut at "), rollback);
        assertFalse(rollback.contains("backup"), rollback);
        shell.clear();
        shell.eval("verify up, version: 15, against: snap");
        assertTrue(shell.outputText().contains("tables: 5 tables: row counts and content hashes equal the snapshot of old"), shell.outputText());
        shell.eval("unfreeze f");
        assertTrue(shell.outputText().contains("old is stopped (promote stopped it at "), shell.outputText());
        // Following the way back works: old starts with everything up to the cut.
        shell.eval("up.stop(); old.start()");
        assertEquals(false, lab.query(lab.oldPort(), "postgres", "select datallowconn from pg_database where datname = 'appdb'").get(0).get("datallowconn"));
    }

    @Test
    void anUpgradeOfAClusterWithADatabaseClosedByHandIsRefusedBeforeAnythingChanges() throws Exception {
        lab.query(lab.oldPort(), "postgres", "alter database appdb allow_connections false");
        String refused = shell.error("upgrade old, " + TARGET + ", method: 'link'");
        assertTrue(refused.contains("upgrade refused") && refused.contains("databases allow connections: appdb (ALLOW_CONNECTIONS false) do(es) not, "
                + "and pg_upgrade needs every database but template0 to"), refused);
        assertTrue(refused.contains("ALTER DATABASE \"appdb\" ALLOW_CONNECTIONS true"), refused);
        assertEquals(Boolean.TRUE, shell.eval("old.running"));
        assertFalse(Files.exists(Path.of(lab.param("new15_pgdata"))), "nothing created");
        String dump = shell.error("upgrade old, method: 'dump', " + TARGET);
        assertTrue(dump.contains("pg_dumpall leaves it out"), dump);
    }
}
