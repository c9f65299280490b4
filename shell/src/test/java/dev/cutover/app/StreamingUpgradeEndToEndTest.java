package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;

/**
 * The shipped runbooks/streaming-upgrade.md replayed in batch against the lab, PG13 → PG15 under
 * pgbench through PgBouncer: nothing lost, nothing failed; and the same replay killed right after
 * promote, then resumed.
 */
@LabTest
class StreamingUpgradeEndToEndTest {
    private static final List<String> STEPS = List.of("connect", "before-the-window-clone-the-old-primary", "before-the-window-rehearse-the-upgrade",
            "before-the-window-watch-the-lag", "window-pause-writes", "window-snapshot-the-frozen-primary", "window-promote-the-replica",
            "window-upgrade-in-place", "window-point-pgbouncer-at-the-new-server", "window-verify-before-letting-writes-in",
            "window-ends-resume-writes", "after-flip-the-alias-on-the-app-hosts", "after-statistics", "after-timeline-history", "after-a-new-standby", "after-the-applications-can-log-in",
            "after-final-check");
    private final Lab lab;
    @TempDir
    Path dir;
    private Path runbook;

    StreamingUpgradeEndToEndTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void reset() throws Exception {
        lab.reset();
        runbook = Lab.repoRoot().resolve("runbooks/streaming-upgrade.md");
    }

    private String[] run(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", runbook.toString(), "--params-file", lab.paramsFile().toString(), "--yes"));
        args.addAll(extra.length == 0 ? List.of("--transcript", "t.md") : List.of(extra));
        return args.toArray(String[]::new);
    }

    private long history(int port) throws Exception {
        return ((Number) lab.query(port, "appdb", "select count(*) as n from pgbench_history").get(0).get("n")).longValue();
    }

    private void assertCutoverComplete(long before, Lab.Tally load, String transcript, String out, int connectRuns) throws Exception {
        assertEquals(0, load.exit(), load.output());
        assertEquals(0, load.failed(), "failed pgbench transactions:\n" + load.output());
        assertTrue(load.processed() > 0, load.output());
        int new15 = Integer.parseInt(lab.param("new15_port"));
        assertEquals(before + load.processed(), history(new15), "pgbench_history on the new server = before + committed");
        for (String id : STEPS) {
            // connect is marked always: it runs again on resume so later steps have their servers; nothing else may.
            int expected = id.equals("connect") ? connectRuns : 1;
            assertEquals(expected, count(transcript, "\"id\":\"" + id + "\",\"status\":\"ok\""), id + " ran ok " + expected + " time(s)");
        }
        assertTrue(transcript.contains("ok    tables: "), "verify compared every table");
        assertTrue(transcript.contains("verify new15: "), transcript);
        Matcher standby = Pattern.compile("ok    standby [^:]+: streaming").matcher(transcript);
        assertTrue(standby.find(), "the new standby streams");
        assertEquals("streaming", lab.query(new15, "postgres", "select state from pg_stat_replication").get(0).get("state"));
        assertFalse(transcript.contains(lab.param("app_password")), "the app password never reaches the transcript");
        assertFalse(out.contains(lab.param("app_password")), "nor the terminal");
    }

    @Test
    void theShippedRunbookUpgradesUnderLoadLosingNothing() throws Exception {
        long before = history(Lab.PORT_BASE);
        Lab.Pgbench load = lab.pgbench("-c", "4", "-j", "2", "-T", "40");
        Thread.sleep(2000);
        Cli.Result r = Cli.run(dir, run());
        Lab.Tally tally = load.await();
        String transcript = Files.readString(dir.resolve("t.md"));
        assertEquals(0, r.exit(), r.out());
        assertCutoverComplete(before, tally, transcript, r.out(), 1);
    }

    @Test
    void killedRightAfterPromoteThenResumedCompletesWithoutRedoingAnything() throws Exception {
        long before = history(Lab.PORT_BASE);
        Lab.Pgbench load = lab.pgbench("-c", "4", "-j", "2", "-T", "45");
        Thread.sleep(2000);
        Process p = Cli.builder(dir, run()).redirectOutput(dir.resolve("first.out").toFile()).start();
        Path t = dir.resolve("t.md");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(t) && Files.readString(t).contains("\"id\":\"window-promote-the-replica\",\"status\":\"ok\"")) break;
            Thread.sleep(10);
        }
        p.destroyForcibly(); // kill -9: the window is open, PgBouncer still paused
        p.waitFor(10, TimeUnit.SECONDS);
        String firstRun = Files.readString(t);
        assertTrue(firstRun.contains("\"id\":\"window-promote-the-replica\",\"status\":\"ok\""), firstRun);
        assertFalse(firstRun.contains("\"id\":\"window-ends-resume-writes\""), "killed before the window closed");

        Cli.Result resumed = Cli.run(dir, run("--resume", t.toString()));
        Lab.Tally tally = load.await();
        String transcript = Files.readString(t);
        assertEquals(0, resumed.exit(), resumed.out());
        assertTrue(resumed.out().contains("still frozen from the earlier run"), resumed.out());
        assertCutoverComplete(before, tally, transcript, resumed.out(), 2);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}
