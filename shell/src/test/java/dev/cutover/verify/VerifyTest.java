package dev.cutover.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/** snapshot + verify: equal data passes; one deleted or changed row fails and names its table. */
@LabTest
class VerifyTest {
    private final Lab lab;
    private Shell shell;

    VerifyTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void snapshot() throws Exception {
        lab.reset();
        shell = new Shell(lab.params());
        shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\nsnap = snapshot old, jobs: 2");
    }

    @AfterEach
    void close() {
        shell.close();
    }

    @Test
    void untouchedDataPassesAndEveryCheckIsListed() {
        shell.clear();
        shell.eval("verify old, version: 13, against: snap");
        String out = shell.outputText();
        for (String check : new String[] {"connections", "version: 13", "role: primary", "databases", "roles", "extensions", "tables", "sequences",
                "timeline history: timeline 1 needs none"}) {
            assertTrue(out.contains("ok    " + check), check + " in\n" + out);
        }
        assertTrue(out.contains("equal the snapshot of old"), out);
    }

    @Test
    void oneDeletedRowFailsAndNamesTheTable() throws Exception {
        lab.query(Lab.PORT_BASE, "appdb", "delete from pgbench_accounts where aid = 7");
        String error = shell.error("verify old, version: 13, against: snap");
        assertTrue(error.contains("tables: 1 of ") && error.contains("appdb:public.pgbench_accounts (99999 rows, snapshot had 100000)"), error);
        assertFalse(error.contains("pgbench_branches"), error);
    }

    @Test
    void aChangedRowWithTheSameCountFailsOnItsHash() throws Exception {
        lab.query(Lab.PORT_BASE, "appdb", "update pgbench_tellers set tbalance = tbalance + 1 where tid = 3");
        String error = shell.error("verify old, against: snap");
        assertTrue(error.contains("appdb:public.pgbench_tellers (same 10 rows, different content)"), error);
        // A quick count-only check does not see it, and says it only counted.
        shell.clear();
        shell.eval("verify old, against: snap, rows: 'count'");
        assertTrue(shell.outputText().contains("row counts equal the snapshot"), shell.outputText());
    }

    @Test
    void aWrongVersionOrRoleFails() {
        String error = shell.error("verify old, version: 15, against: snap");
        assertTrue(error.contains("version: runs 13, expected 15"), error);
        assertEquals(true, shell.error("verify old, role: 'standby', against: false").contains("role: is a primary, expected a standby"));
    }
}
