package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.runbook.ParamSpec;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookParser;

/** Every runbook in runbooks/ passes check, documents its params, and runs in batch against the lab. */
@LabTest
class ShippedRunbooksTest {
    private final Lab lab;
    @TempDir
    Path dir;

    ShippedRunbooksTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void reset() throws Exception {
        lab.reset();
    }

    private static List<Path> runbooks() throws Exception {
        try (Stream<Path> s = Files.list(Lab.repoRoot().resolve("runbooks"))) {
            return s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    @Test
    void everyRunbookChecksCleanAndDescribesItsParams() throws Exception {
        List<Path> all = runbooks();
        assertTrue(all.stream().map(p -> p.getFileName().toString()).toList()
                .containsAll(List.of("streaming-upgrade.md", "dump-restore-via-temp.md", "rebuild-standby.md", "lab-tour.md", "logical-upgrade.md")), all.toString());
        for (Path p : all) {
            Cli.Result r = Cli.run(dir, "check", p.toString());
            assertEquals(0, r.exit(), p + ":\n" + r.out());
            Runbook rb = new RunbookParser().parse(p);
            for (ParamSpec param : rb.params()) {
                assertTrue(param.description() != null && !param.description().isBlank(), p.getFileName() + ": param " + param.name() + " has a description");
                if (param.name().contains("password")) assertTrue(param.secret(), p.getFileName() + ": " + param.name() + " is marked secret");
            }
        }
    }

    private Cli.Result run(String runbook, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", Lab.repoRoot().resolve("runbooks/" + runbook).toString(),
                "--params-file", lab.paramsFile().toString(), "--yes", "--transcript", "t.md"));
        args.addAll(List.of(extra));
        return Cli.run(dir, args.toArray(String[]::new));
    }

    private long history(int port) throws Exception {
        return ((Number) lab.query(port, "appdb", "select count(*) as n from pgbench_history").get(0).get("n")).longValue();
    }

    @Test
    void dumpRestoreViaATempServerAndBackUnderLoad() throws Exception {
        long before = history(Lab.PORT_BASE);
        Lab.Pgbench load = lab.pgbench("-c", "2", "-T", "25");
        Thread.sleep(1500);
        Cli.Result r = run("dump-restore-via-temp.md");
        Lab.Tally tally = load.await();
        assertEquals(0, r.exit(), r.out());
        assertEquals(0, tally.failed(), tally.output());
        // Back home: the rebuilt old server (PostgreSQL 15, the old port) has every committed transaction.
        assertEquals("15", String.valueOf(lab.query(Lab.PORT_BASE, "postgres", "show server_version_num").get(0).values().iterator().next()).substring(0, 2));
        assertEquals(before + tally.processed(), history(Lab.PORT_BASE));
        String t = Files.readString(dir.resolve("t.md"));
        assertEquals(2, count(t, "equal the snapshot of "), "both copies verified against their snapshot");
        assertTrue(Files.readString(Path.of(lab.param("app1_hosts_file"))).contains(lab.param("old_host")), "alias flipped back");
    }

    @Test
    void rebuildStandbyFixesAMissingHistoryFileThenStreams() throws Exception {
        // A primary on timeline 2 that lost 00000002.history: the replica of old, promoted.
        Path rb = Cli.write(dir, "promote.md", """
                ---
                params:
                  old_url: {description: x}
                  old_ssh: {description: x}
                  old_pgdata: {description: x}
                  new_url: {description: x}
                  new_ssh: {description: x}
                  new_pgdata: {description: x}
                  new_bindir: {description: x}
                ---
                # Promote a replica

                ```groovy
                old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata
                neu = connect 'new', url: params.new_url, ssh: params.new_ssh, pgdata: params.new_pgdata, bindir: params.new_bindir
                replicate from: old, to: neu, slot: 'cutover'
                promote neu, from: old, stopOld: false
                neu.sql('checkpoint')
                ```
                """);
        assertEquals(0, Cli.run(dir, "run", rb.toString(), "--params-file", lab.paramsFile().toString(), "--transcript", "p.md").exit());
        Files.delete(Path.of(lab.param("new_pgdata"), "pg_wal", "00000002.history"));
        Cli.Result r = run("rebuild-standby.md", "-p", "primary_url=" + lab.param("new_url"), "-p", "primary_ssh=" + lab.param("new_ssh"),
                "-p", "primary_pgdata=" + lab.param("new_pgdata"), "-p", "primary_bindir=" + lab.param("new_bindir"));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("verified: the server sends 00000002.history"), r.out());
        assertTrue(r.out().contains("streaming"), r.out());
        assertTrue(Files.exists(Path.of(lab.param("new_pgdata"), "pg_wal", "00000002.history")));
    }

    @Test
    void theLabTourRunsInBatchAndKeepsThePasswordOut() throws Exception {
        Cli.Result r = run("lab-tour.md");
        assertEquals(0, r.exit(), r.out());
        String t = Files.readString(dir.resolve("t.md"));
        assertTrue(t.contains("| accounts |") || t.contains("accounts"), t);
        assertFalse(t.contains(lab.param("app_password")), "password in the transcript");
        assertFalse(r.out().contains(lab.param("app_password")), "password on the terminal");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}
