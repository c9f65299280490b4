package dev.cutover.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * DDL a freeze runs must not wait behind a long transaction (every later session would queue
 * behind the DDL): it gives up after lock_timeout, names the session holding the lock, and undoes
 * whatever the freeze had already changed.
 */
@LabTest
class FreezeLockWaitTest {
    private final Lab lab;
    private Shell shell;

    FreezeLockWaitTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void open() throws Exception {
        lab.query(lab.oldPort(), "postgres", "drop database if exists scratch");
        lab.query(lab.oldPort(), "postgres", "create database scratch");
        shell = new Shell(lab.params());
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
        lab.query(lab.oldPort(), "postgres", "drop database if exists scratch");
        lab.query(lab.oldPort(), "postgres", "update pg_database set datallowconn = true where datname = 'appdb'");
    }

    @Test
    void noConnectionsFreezeBehindALongTransactionFailsFastNamesItAndReopensWhatItClosed() throws Exception {
        try (Connection holder = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + lab.oldPort() + "/postgres", "postgres", "")) {
            // A transaction that updated appdb's pg_database row and stays open: ALTER DATABASE appdb waits for it.
            holder.setAutoCommit(false);
            int holderPid;
            try (Statement st = holder.createStatement()) {
                st.execute("alter database appdb connection limit -1");
                ResultSet rs = st.executeQuery("select pg_backend_pid()");
                rs.next();
                holderPid = rs.getInt(1);
            }
            shell.eval("old = connect 'old', url: params.old_url");
            long start = System.nanoTime();
            String e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> shell.error("freeze old, mode: 'no-connections', databases: ['scratch', 'appdb']"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 8, "took " + seconds + "s");
            assertTrue(e.contains("alter database \"appdb\" allow_connections false waited 2s for a lock held by pid " + holderPid + " ("), e);
            assertTrue(e.contains("idle in transaction"), e);
            assertTrue(e.contains("a long transaction blocks it; end it or retry"), e);
            assertTrue(e.contains("reopened scratch"), e);
            assertEquals(1, e.lines().count(), e);
            // nothing half-applied: scratch, closed before appdb blocked, accepts connections again
            assertEquals(List.of(Map.of("datname", "appdb", "datallowconn", true), Map.of("datname", "scratch", "datallowconn", true)),
                    lab.query(lab.oldPort(), "postgres", "select datname, datallowconn from pg_database where datname in ('appdb', 'scratch') order by 1"));
            assertEquals("nothing was frozen", shell.eval("unfreeze().summary()"), "no freeze left active");
            holder.rollback();
        }
    }
}
