package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovy.json.JsonSlurper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutover run --report}: one JSON document a script can read, however the run ended. */
class RunReportTest {
    @TempDir
    Path dir;

    /** Freezes "the apps" (a local command), holds the freeze a moment, unfreezes. */
    static final String FREEZE_RUNBOOK = """
            ---
            title: Window
            params:
              pw: {secret: true}
              hold: {default: '300ms'}
            ---

            # Window

            ## Stop the apps

            ```groovy id=stop
            f = freeze run: ['local': 'touch apps-stopped'], undo: ['local': 'rm apps-stopped']
            ```

            ## Work in the window

            ```groovy id=work
            println "using ${params.pw}"
            if (params.hold == 'forever') { new File('started.txt').text = 'x'; sleep 60 }
            sleep params.hold
            ```

            ## Start the apps

            ```groovy id=start
            unfreeze f
            ```
            """;

    @SuppressWarnings("unchecked")
    private Map<String, Object> report(String name) throws Exception {
        String text = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        Object parsed = new JsonSlurper().parseText(text);
        assertTrue(parsed instanceof Map, text);
        Map<String, Object> r = (Map<String, Object>) parsed;
        assertEquals(1, r.get("cutoverReport"), text);
        for (String key : List.of("cutoverVersion", "mode", "dryRun", "transcript", "runbook", "params", "steps", "freezes", "summary")) {
            assertTrue(r.containsKey(key), key + " missing: " + text);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static long millis(Object o) {
        return ((Number) o).longValue();
    }

    @Test
    void anOkRunReportsRunbookMaskedParamsStepsTheFreezeWithItsStallAndTheSummary() throws Exception {
        Path rb = Cli.write(dir, "rb.md", FREEZE_RUNBOOK);
        Cli.Result r = Cli.run(dir, "run", "rb.md", "-p", "pw=Sup3rSecretValue", "--transcript", "t.md", "--report", "out/run.json");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("report: out/run.json"), r.out());
        assertFalse(Files.readString(dir.resolve("out/run.json")).contains("Sup3rSecretValue"));

        Map<String, Object> rep = report("out/run.json");
        assertEquals("t.md", rep.get("transcript"));
        assertEquals("batch", rep.get("mode"));
        assertEquals(false, rep.get("dryRun"));
        Map<String, Object> runbook = map(rep.get("runbook"));
        assertEquals("rb.md", runbook.get("path"));
        assertEquals("Window", runbook.get("title"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(rb))), runbook.get("sha256"));
        assertEquals(Map.of("pw", "******", "hold", "300ms"), rep.get("params"));

        List<Map<String, Object>> steps = list(rep.get("steps"));
        assertEquals(List.of("stop", "work", "start"), steps.stream().map(s -> s.get("id")).toList());
        for (Map<String, Object> s : steps) {
            assertEquals("ok", s.get("status"), s.toString());
            Instant.parse((String) s.get("start"));
            assertTrue(millis(s.get("durationMs")) >= 0);
            assertNull(s.get("error"));
            assertEquals(1, s.get("attempts"));
        }
        assertEquals(1, steps.get(0).get("number"));
        assertEquals("Work in the window", steps.get(1).get("title"));
        assertTrue(millis(steps.get(1).get("durationMs")) >= 300, steps.get(1).toString());

        List<Map<String, Object>> freezes = list(rep.get("freezes"));
        assertEquals(1, freezes.size(), freezes.toString());
        Map<String, Object> f = freezes.get(0);
        assertEquals("freeze-1", f.get("id"));
        assertEquals("run", f.get("kind"));
        assertEquals(false, f.get("active"));
        assertEquals(1, f.get("startStep"));
        assertEquals(3, f.get("endStep"));
        long stall = millis(f.get("frozenMs"));
        assertTrue(stall >= 300, "the freeze held through the 0.3 s step: " + f);
        assertEquals(stall, Instant.parse((String) f.get("start")).until(Instant.parse((String) f.get("end")), java.time.temporal.ChronoUnit.MILLIS), 5);
        assertEquals(Map.of("undo", Map.of("local", "rm apps-stopped")), f.get("details"));

        Map<String, Object> summary = map(rep.get("summary"));
        assertEquals("ok", summary.get("outcome"));
        assertEquals(0, summary.get("exitCode"));
        assertNull(summary.get("reason"));
        assertEquals(3L, millis(map(summary.get("counts")).get("ok")));
        assertEquals(0L, millis(map(summary.get("counts")).get("pending")));
        assertEquals(stall, millis(summary.get("frozenMs")));
        assertTrue(millis(summary.get("durationMs")) >= stall);
        Instant.parse((String) summary.get("end"));
    }

    @Test
    void aFailedRunReportsTheFailedStepItsErrorAndExitOne() throws Exception {
        Cli.write(dir, "rb.md", BatchRunTest.RUNBOOK);
        Cli.Result r = Cli.run(dir, "run", "rb.md", "-p", "pw=Sup3rSecretValue", "--report", "run.json");
        assertEquals(1, r.exit(), r.out());
        Map<String, Object> rep = report("run.json");
        List<Map<String, Object>> steps = list(rep.get("steps"));
        assertEquals(List.of("ok", "failed", "pending"), steps.stream().map(s -> s.get("status")).toList());
        assertEquals("Step 2 (two) failed at rb.md:22: IllegalStateException: gate closed for ******", steps.get(1).get("error"));
        assertNull(steps.get(2).get("start"));
        Map<String, Object> summary = map(rep.get("summary"));
        assertEquals("failed", summary.get("outcome"));
        assertEquals(1, summary.get("exitCode"));
        assertEquals(steps.get(1).get("error"), summary.get("reason"));
        assertEquals(1L, millis(map(summary.get("counts")).get("failed")));
        assertFalse(Files.readString(dir.resolve("run.json")).contains("Sup3rSecretValue"));
    }

    @Test
    void sigintDuringAStepReportsItInterruptedWithExit130() throws Exception {
        Cli.write(dir, "rb.md", FREEZE_RUNBOOK);
        Process p = start("run", "rb.md", "-p", "pw=Sup3rSecretValue", "-p", "hold=forever", "--report", "run.json");
        signal(p, "INT");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "SIGINT must end the run promptly");
        assertEquals(130, p.exitValue());
        Map<String, Object> rep = report("run.json");
        assertEquals("interrupted", list(rep.get("steps")).get(1).get("status"));
        Map<String, Object> summary = map(rep.get("summary"));
        assertEquals("interrupted", summary.get("outcome"));
        assertEquals(130, summary.get("exitCode"));
        // the run stopped inside the window: the freeze is still in force and the report says so
        Map<String, Object> f = list(rep.get("freezes")).get(0);
        assertEquals(true, f.get("active"));
        assertNull(f.get("end"));
        assertTrue(millis(f.get("frozenMs")) > 0);
    }

    @Test
    void aStepTimeoutIsReportedAsAFailedStepWithItsReason() throws Exception {
        Cli.write(dir, "rb.md", "# Slow\n\n## Waits too long\n\n```groovy id=slow timeout=1s\nsleep 60\n```\n");
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--report", "run.json");
        assertEquals(1, r.exit(), r.out());
        Map<String, Object> step = list(report("run.json").get("steps")).get(0);
        assertEquals("failed", step.get("status"));
        assertTrue(String.valueOf(step.get("error")).contains("timed out after 1s"), step.toString());
        assertTrue(millis(step.get("durationMs")) >= 1000, step.toString());
    }

    @Test
    void sigtermOrKillNineStillLeaveAValidReportOfAStepStillRunning() throws Exception {
        Cli.write(dir, "rb.md", FREEZE_RUNBOOK);
        Process term = start("run", "rb.md", "-p", "pw=Sup3rSecretValue", "-p", "hold=forever", "--report", "term.json");
        signal(term, "TERM");
        assertTrue(term.waitFor(20, TimeUnit.SECONDS));
        Map<String, Object> rep = report("term.json");
        assertEquals("running", list(rep.get("steps")).get(1).get("status"));
        assertEquals("terminated", map(rep.get("summary")).get("outcome"));
        assertEquals(143, map(rep.get("summary")).get("exitCode"));

        Files.delete(dir.resolve("started.txt"));
        Process kill = start("run", "rb.md", "-p", "pw=Sup3rSecretValue", "-p", "hold=forever", "--report", "kill.json");
        kill.destroyForcibly(); // SIGKILL: no hook runs; the write made when the step started is what remains
        assertTrue(kill.waitFor(20, TimeUnit.SECONDS));
        Map<String, Object> killed = report("kill.json");
        assertEquals("running", map(killed.get("summary")).get("outcome"));
        assertNull(map(killed.get("summary")).get("exitCode"));
        assertEquals("running", list(killed.get("steps")).get(1).get("status"));
        assertEquals(true, list(killed.get("freezes")).get(0).get("active"));
    }

    @Test
    void aReportReplacesOnlyAnEarlierReport() throws Exception {
        Cli.write(dir, "rb.md", "# Tiny\n\n## One\n\n```groovy\nx = 1\n```\n");
        Files.writeString(dir.resolve("notes.json"), "{\"mine\": true}\n");
        Cli.Result refused = Cli.run(dir, "run", "rb.md", "--report", "notes.json");
        assertEquals(2, refused.exit(), refused.out());
        assertEquals("--report notes.json exists and is not a cutover report: a report never overwrites another file; name a new one",
                refused.out().strip());
        assertEquals("{\"mine\": true}\n", Files.readString(dir.resolve("notes.json")));
        assertFalse(Files.exists(dir.resolve("transcripts")), "refused before anything ran or was written");

        assertEquals(2, Cli.run(dir, "run", "rb.md", "--report", "t.md", "--transcript", "t.md").exit(), "not onto the transcript");

        assertEquals(0, Cli.run(dir, "run", "rb.md", "--report", "run.json").exit());
        String first = Files.readString(dir.resolve("run.json"));
        assertEquals(0, Cli.run(dir, "run", "rb.md", "--report", "run.json").exit());
        assertFalse(first.equals(Files.readString(dir.resolve("run.json"))), "an earlier report is replaced by the new one");
        report("run.json");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "no temporary files left");
        }
    }

    @Test
    void aResumedRunReportsTheStepsTheEarlierRunDidAndARefusedResumeStillLeavesAReport() throws Exception {
        Cli.write(dir, "rb.md", BatchRunTest.RUNBOOK);
        assertEquals(1, Cli.run(dir, "run", "rb.md", "-p", "pw=abc-secret", "--transcript", "t.md").exit());

        Cli.write(dir, "rb.md", BatchRunTest.RUNBOOK.replace("'one\\n'", "'ONE\\n'"));
        assertEquals(1, Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=abc-secret", "--report", "refused.json").exit());
        Map<String, Object> refused = map(report("refused.json").get("summary"));
        assertEquals("refused", refused.get("outcome"));
        assertEquals(1, refused.get("exitCode"));
        assertTrue(String.valueOf(refused.get("reason")).startsWith("resume refused: Step 1 (one)"), refused.toString());

        Cli.write(dir, "rb.md", BatchRunTest.RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=abc-secret", "--report", "run.json");
        assertEquals(0, r.exit(), r.out());
        Map<String, Object> rep = report("run.json");
        assertEquals("batch resume", rep.get("mode"));
        assertEquals("t.md", rep.get("transcript"));
        List<Map<String, Object>> steps = list(rep.get("steps"));
        assertEquals(List.of(true, false, false), steps.stream().map(s -> s.get("earlierRun")).toList());
        assertEquals(List.of("ok", "ok", "ok"), steps.stream().map(s -> s.get("status")).toList());
        Instant.parse((String) steps.get(0).get("start"));
        assertEquals("ok", map(rep.get("summary")).get("outcome"));
    }

    private Process start(String... args) throws Exception {
        Process p = Cli.builder(dir, args).redirectOutput(dir.resolve("out.log").toFile()).start();
        Path started = dir.resolve("started.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(started) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(Files.exists(started), "the step never started: " + (Files.exists(dir.resolve("out.log")) ? Files.readString(dir.resolve("out.log")) : ""));
        return p;
    }

    private static void signal(Process p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
    }
}
