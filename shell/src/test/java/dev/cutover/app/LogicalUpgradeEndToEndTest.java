package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.replication.LogicalLab;

/**
 * The shipped runbooks/logical-upgrade.md replayed in batch, PG13 → PG15 and back again under
 * pgbench through PgBouncer: 0 failed transactions, every committed one on the old server (the side
 * that ends as primary), nothing of the link left behind; prints the write stall pgbench saw.
 */
@LabTest
class LogicalUpgradeEndToEndTest {
    private final Lab lab;
    @TempDir
    Path dir;

    LogicalUpgradeEndToEndTest(Lab lab) {
        this.lab = lab;
    }

    private long history(int port) throws Exception {
        return ((Number) lab.query(port, "appdb", "select count(*) as n from pgbench_history").get(0).get("n")).longValue();
    }

    @Test
    void theShippedRunbookCutsOverAndBackUnderLoadLosingNothing() throws Exception {
        lab.reset();
        LogicalLab.oldWalLevel(lab, "logical");
        LogicalLab.newEmpty15(lab);
        long before = history(Lab.PORT_BASE);
        Lab.Pgbench load = lab.pgbench("-c", "4", "-j", "2", "-T", "35", "-l", "--log-prefix=" + dir.resolve("pgbench"));
        Thread.sleep(2000);
        Cli.Result r = Cli.run(dir, "run", Lab.repoRoot().resolve("runbooks/logical-upgrade.md").toString(), "--params-file",
                lab.paramsFile().toString(), "-p", "way_back=yes", "--yes", "--transcript", "t.md");
        Lab.Tally tally = load.await();
        String transcript = Files.readString(dir.resolve("t.md"));
        assertEquals(0, r.exit(), r.out());
        assertEquals(0, tally.exit(), tally.output());
        assertEquals(0, tally.failed(), tally.output());
        assertTrue(tally.processed() > 0, tally.output());
        assertEquals(before + tally.processed(), history(Lab.PORT_BASE), "pgbench_history on old (primary again) = before + committed");
        assertTrue(transcript.contains("was applied on new15") && transcript.contains("was applied on old"), "both cuts proved by a marker");
        assertTrue(transcript.contains("ok    tables: "), "verify compared every table");
        assertFalse(r.out().contains("hold WAL until dropped"), "no leftover warning after the clean-up:\n" + r.out());
        for (int port : List.of(Lab.PORT_BASE, Integer.parseInt(lab.param("new15_port")))) {
            assertEquals(0L, ((Number) lab.query(port, "postgres", "select count(*) as n from pg_replication_slots where slot_type = 'logical'")
                    .get(0).get("n")).longValue(), "slots on " + port);
        }
        long stallMicros = 0;
        try (Stream<Path> logs = Files.list(dir).filter(p -> p.getFileName().toString().startsWith("pgbench."))) {
            for (Path log : logs.toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] f = line.split(" ");
                    if (f.length > 2) stallMicros = Math.max(stallMicros, Long.parseLong(f[2]));
                }
            }
        }
        java.util.regex.Matcher steps = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\",\"status\":\"([a-z]+)\",\"ms\":(\\d+)").matcher(transcript);
        StringBuilder took = new StringBuilder();
        while (steps.find()) took.append(steps.group(1)).append(' ').append(steps.group(3)).append(" ms; ");
        System.out.println("[logical e2e] steps: " + took);
        transcript.lines().filter(l -> l.contains("is the primary: every database's marker")).forEach(l -> System.out.println("[logical e2e] " + l.strip()));
        System.out.println("[logical e2e] write stall (max pgbench latency over both windows): " + stallMicros / 1000 + " ms; committed "
                + tally.processed() + ", arrived " + (history(Lab.PORT_BASE) - before) + ", failed " + tally.failed());
    }
}
