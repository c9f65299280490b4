package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/** 13 → 15 on the lab: link, copy, dump; a pre-flight that refuses before anything changes; the truth about rolling back. */
@LabTest
class UpgradeTest {
    private static final String TARGET = "bindir: params.new15_bindir, pgdata: params.new15_pgdata, port: params.new15_port";
    private final Lab lab;
    private Shell shell;

    UpgradeTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void lab() throws Exception {
        lab.reset();
        shell = new Shell(lab.params());
        shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\n"
                + "neu = connect 'new', url: params.new_url, ssh: params.new_ssh, pgdata: params.new_pgdata, bindir: params.new_bindir");
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private int port(String param) {
        return Integer.parseInt(lab.param(param));
    }

    /** Per table of appdb: row count and an ordered checksum of its content (test plumbing, independent of snapshot). */
    private Map<String, String> fingerprint(int port) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (var row : lab.query(port, "appdb", "select format('%I.%I', schemaname, relname) as t from pg_stat_user_tables order by 1")) {
            String t = String.valueOf(row.get("t"));
            var r = lab.query(port, "appdb", "select count(*) || ':' || coalesce(md5(string_agg(x::text, ',' order by x::text)), '') as f from " + t + " x");
            m.put(t, String.valueOf(r.get(0).get("f")));
        }
        return m;
    }

    private void promotedReplica() {
        shell.eval("replicate from: old, to: neu, slot: 'cutover'\npromote neu, from: old, force: true");
    }

    @Test
    void linkUpgradeOfAPromotedReplicaKeepsEveryRowAndCitext() throws Exception {
        promotedReplica();
        Map<String, String> before = fingerprint(Lab.PORT_BASE + 1);
        assertTrue(before.size() >= 4, before.toString());
        shell.clear();
        shell.eval("check = upgrade neu, " + TARGET + ", method: 'link', check: true");
        assertTrue(shell.outputText().contains("ok    pg_upgrade --check: clusters are compatible for --link"), shell.outputText());
        assertTrue(shell.outputText().contains("ready to upgrade 13 → 15 by link:"), shell.outputText());
        // The rehearsal prepared the new cluster (initdb, configuration) so the window does not spend time on it.
        assertTrue(Files.readString(Path.of(lab.param("new15_pgdata") + ".cutover-unfinished")).startsWith("prepared "));
        assertTrue(Files.exists(Path.of(lab.param("new15_pgdata"), "PG_VERSION")));

        shell.clear();
        shell.eval("up = upgrade neu, " + TARGET + ", method: 'link'");
        assertTrue(shell.outputText().contains("reusing the new cluster the rehearsal prepared (" + lab.param("new15_pgdata")
                + "): configuration unchanged since"), shell.outputText());
        assertFalse(Files.exists(Path.of(lab.param("new15_pgdata") + ".cutover-unfinished")), "done: no marker left");
        assertEquals(15, ((Number) shell.eval("up.version")).intValue());
        assertEquals(Boolean.TRUE, shell.eval("up.sqlIn('appdb', \"select 'ABC'::citext = 'abc' as eq\")[0].eq") instanceof Boolean b ? b : null,
                "citext answers");
        Map<String, String> after = fingerprint(port("new15_port"));
        assertEquals(before, after);
        String summary = String.valueOf(shell.eval("up.summary()"));
        assertTrue(summary.contains("13 → 15 by link") && summary.contains("database unavailable"), summary);
        assertTrue(summary.contains("can no longer be started"), summary);
        @SuppressWarnings("unchecked")
        Map<String, Object> phases = (Map<String, Object>) shell.eval("up.phases");
        assertTrue(phases.keySet().containsAll(java.util.List.of("configure (initdb done by the rehearsal)", "stop", "pg_upgrade", "start",
                "extension update")), phases.toString());
        // The operator's settings came along; the new server is on its own port.
        String conf = Files.readString(Path.of(lab.param("new15_pgdata"), "cutover.conf"));
        assertTrue(conf.contains("port = " + lab.param("new15_port")), conf);
        assertFalse(conf.contains("primary_conninfo"), conf);
    }

    @Test
    void copyUpgradeLeavesTheOldClusterStartable() throws Exception {
        promotedReplica();
        Map<String, String> before = fingerprint(Lab.PORT_BASE + 1);
        shell.eval("up = upgrade neu, " + TARGET + ", method: 'copy', analyze: 'in-stages'");
        assertEquals(before, fingerprint(port("new15_port")));
        String summary = String.valueOf(shell.eval("up.summary()"));
        assertTrue(summary.contains("untouched and can be started again"), summary);
        assertTrue(summary.contains("analyzed in stages"), summary);
        shell.eval("up.stop(); neu.start()");
        assertEquals(before, fingerprint(Lab.PORT_BASE + 1));
    }

    @Test
    void dumpUpgradeToATempServerOnAnotherHostWhileOldKeepsRunning() throws Exception {
        Map<String, String> before = fingerprint(Lab.PORT_BASE);
        shell.eval("snap = snapshot old\n"
                + "temp = connect 'temp', url: params.temp_url, ssh: params.temp_ssh, pgdata: params.temp_pgdata, bindir: params.new15_bindir\n"
                + "t = upgrade old, method: 'dump', to: temp");
        assertEquals(before, fingerprint(Lab.PORT_BASE + 4));
        assertEquals(Boolean.TRUE, shell.eval("old.running"));
        shell.clear();
        shell.eval("verify temp, version: 15, against: snap");
        assertTrue(shell.outputText().contains("equal the snapshot of old"), shell.outputText());
        // roles came along (pg_dumpall --globals-only)
        assertEquals(1L, ((Number) lab.query(Lab.PORT_BASE + 4, "postgres", "select count(*) from pg_roles where rolname = 'app'").get(0).get("count")).longValue());
    }

    @Test
    void preflightFailsBeforeAnythingChangesWhenTheNewBindirLacksAnExtension() throws Exception {
        Path copy = Files.createTempDirectory("pg15-without-citext");
        Lab.shell("mkdir -p " + copy + "/usr/lib/postgresql " + copy + "/usr/share/postgresql && cp -a /usr/lib/postgresql/15 " + copy
                + "/usr/lib/postgresql/ && cp -a /usr/share/postgresql/15 " + copy + "/usr/share/postgresql/ && rm -f " + copy
                + "/usr/share/postgresql/15/extension/citext* && chmod -R a+rX " + copy);
        try {
            String error = shell.error("upgrade old, bindir: '" + copy + "/usr/lib/postgresql/15/bin', pgdata: params.new15_pgdata, port: params.new15_port, check: true");
            assertTrue(error.contains("extension citext") && error.contains("is not packaged in"), error);
            assertTrue(shell.outputText().contains("NOT ready to upgrade 13 → 15 by link"), shell.outputText());
            assertFalse(Files.exists(Path.of(lab.param("new15_pgdata"))));
            // The real upgrade refuses the same way, with the old cluster still running.
            String refused = shell.error("upgrade old, bindir: '" + copy + "/usr/lib/postgresql/15/bin', pgdata: params.new15_pgdata, port: params.new15_port");
            assertTrue(refused.contains("upgrade refused") && refused.contains("nothing was changed"), refused);
            assertEquals(Boolean.TRUE, shell.eval("old.running"));
        } finally {
            Lab.shell("rm -rf " + copy);
        }
    }

    @Test
    void preflightFailsWhenChecksumsDiffer() throws Exception {
        String pgdata = lab.param("new15_pgdata");
        Lab.shell("runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -k -D " + pgdata + " -U postgres");
        String error = shell.error("upgrade old, " + TARGET + ", check: true");
        assertTrue(error.contains("data checksums off on old, on on new"), error);
    }

    @Test
    void anUpgradeCancelledAfterLinkingBeganTellsTheTruthAboutRollingBack() throws Exception {
        promotedReplica();
        Map<String, String> before = fingerprint(Lab.PORT_BASE + 1);
        shell.notebook.addListener(new dev.cutover.engine.NotebookListener() {
            private boolean sent;

            @Override
            public void output(dev.cutover.spi.OutputKind kind, String line) {
                if (!sent && line.contains("Adding \".old\" suffix")) {
                    sent = true;
                    shell.notebook.cancelCurrent();
                }
            }
        });
        String error = shell.error("up = upgrade neu, " + TARGET + ", method: 'link'");
        String data = lab.param("new_pgdata");
        assertTrue(error.contains("the old cluster can still be started (the new one never was): mv " + data + "/global/pg_control.old "
                + data + "/global/pg_control"), error);
        // pg_upgrade's working directory is kept beside the new cluster with its reports, and named; nothing in /tmp.
        String workdir = lab.param("new15_pgdata") + ".cutover-upgrade";
        assertTrue(error.contains("pg_upgrade's logs: " + workdir + " and "), error);
        assertTrue(Files.isDirectory(Path.of(workdir)), workdir);
        // Following the advice works, and nothing is lost.
        Lab.shell("mv " + data + "/global/pg_control.old " + data + "/global/pg_control");
        shell.eval("neu.start()");
        assertEquals(before, fingerprint(Lab.PORT_BASE + 1));
    }

    @Test
    void aDryRunListsEveryCommandWithItsArgumentsAndChangesNothing() throws Exception {
        promotedReplica();
        shell.notebook.setDryRun(true);
        shell.clear();
        shell.eval("upgrade neu, " + TARGET + ", method: 'link', analyze: 'in-stages'");
        String out = shell.outputText();
        for (String expected : new String[] {"would run: ", "/usr/lib/postgresql/15/bin/initdb -D " + lab.param("new15_pgdata"),
                "--locale-provider=libc", "pg_ctl -D " + lab.param("new_pgdata"), "stop",
                "/usr/lib/postgresql/15/bin/pg_upgrade -b " + lab.param("new_bindir") + " -B /usr/lib/postgresql/15/bin -d " + lab.param("new_pgdata"),
                "--link", "-P " + lab.param("new15_port"), "vacuumdb", "--analyze-in-stages"}) {
            assertTrue(out.contains(expected), expected + " in\n" + out);
        }
        shell.notebook.setDryRun(false);
        assertFalse(Files.exists(Path.of(lab.param("new15_pgdata"))), "nothing created");
        assertEquals(Boolean.TRUE, shell.eval("neu.running"), "the old cluster still runs");
    }

    @Test
    void aStandbyIsRefusedRunningOrShutDownInRecovery() throws Exception {
        shell.eval("replicate from: old, to: neu, slot: 'cutover'");
        String running = shell.error("upgrade neu, " + TARGET);
        assertTrue(running.contains("new is a standby") && running.contains("Promote it first"), running);
        shell.eval("neu.stop()");
        String stopped = shell.error("upgrade neu, " + TARGET);
        assertTrue(stopped.contains("upgrade refused") && stopped.contains("Promote it first"), stopped);
        assertFalse(Files.exists(Path.of(lab.param("new15_pgdata"))), "nothing created");
    }

    @Test
    void settingsChangedAfterTheRehearsalStillReachTheNewCluster() throws Exception {
        promotedReplica();
        shell.eval("upgrade neu, " + TARGET + ", check: true");
        lab.query(Lab.PORT_BASE + 1, "postgres", "alter system set work_mem = '12MB'; select pg_reload_conf()");
        shell.clear();
        shell.eval("up = upgrade neu, " + TARGET + ", method: 'link'");
        assertTrue(shell.outputText().contains("configuration changed since, rewritten"), shell.outputText());
        assertEquals("12MB", shell.eval("up.sql('show work_mem')[0].work_mem"));
    }
}
