package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRunTest {
    @TempDir
    Path dir;

    /** Three steps; each appends its id to log.txt so a test can count what ran. Step 2 fails until gate exists. */
    static final String RUNBOOK = """
            ---
            title: Resumable
            params:
              gate: {default: gate.txt, description: step 2 fails until this file exists}
              hang: {default: 'no', description: step 2 hangs when yes}
              pw: {secret: true, description: a password}
            ---

            # Resumable

            ## One

            ```groovy
            new File('log.txt') << 'one\\n'
            println "connecting with ${params.pw}"
            ```

            ## Two

            ```groovy id=two
            if (params.hang == 'yes') { new File('started.txt').text = 'x'; sleep 60 }
            if (!new File(params.gate).exists()) throw new IllegalStateException("gate closed for " + params.pw)
            new File('log.txt') << 'two\\n'
            ```

            ## Three

            ```groovy
            new File('log.txt') << 'three\\n'
            ```
            """;

    /**
     * Start-up: check keeps the blocks it compiled, as run does, so the run that follows a check loads
     * them instead of starting the Groovy compiler (about half of a short run's start-up).
     */
    @Test
    void theRunAfterACheckLoadsItsBlocksInsteadOfCompilingThem() throws Exception {
        Cli.write(dir, "rb.md", "# Two\n\n```groovy\n6 * 7\n```\n\n```groovy\n'done'\n```\n");
        Path cache = dir.resolve("xdg-cache");
        assertEquals(0, withCache(cache, "check", "rb.md").exit());
        Path classes = cache.resolve("cutover/classes");
        var kept = new java.util.TreeMap<String, java.nio.file.attribute.FileTime>();
        try (var files = Files.list(classes)) {
            files.forEach(f -> kept.put(f.getFileName().toString(), mtime(f)));
        }
        assertEquals(2, kept.size(), "one entry per block: " + kept);

        Cli.Result run = withCache(cache, "run", "rb.md", "--transcript", "t.md");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("  42"), run.out());
        var after = new java.util.TreeMap<String, java.nio.file.attribute.FileTime>();
        try (var files = Files.list(classes)) {
            files.forEach(f -> after.put(f.getFileName().toString(), mtime(f)));
        }
        assertEquals(kept, after, "the run found both blocks compiled and wrote nothing");
    }

    /** check compiles; it never runs a block's code, not even a static initialiser of a block it loads compiled from the cache. */
    @Test
    void checkNeverRunsABlocksStaticInitialiser() throws Exception {
        Cli.write(dir, "rb.md", "# S\n\n```groovy\n@groovy.transform.Field static x = { new File('ran.txt').text = 'ran'; 1 }()\nx\n```\n");
        Path cache = dir.resolve("xdg-cache");
        assertEquals(0, withCache(cache, "check", "rb.md").exit());
        assertEquals(0, withCache(cache, "check", "rb.md").exit(), "the second check loads the block from the cache");
        assertFalse(Files.exists(dir.resolve("ran.txt")), "check ran the block's code");
        assertEquals(0, withCache(cache, "run", "rb.md", "--transcript", "t.md").exit());
        assertTrue(Files.exists(dir.resolve("ran.txt")), "the run does");
    }

    private Cli.Result withCache(Path cache, String... args) throws Exception {
        return Cli.run(dir, java.util.Map.of("XDG_CACHE_HOME", cache.toString()), args);
    }

    private static java.nio.file.attribute.FileTime mtime(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> log() throws Exception {
        Path p = dir.resolve("log.txt");
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    private String read(String name) throws Exception {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void allOkExitsZeroAndWritesTheTranscript() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Cli.Result r = Cli.run(dir, "run", "rb.md", "-p", "pw=Sup3rSecretValue", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertEquals(List.of("one", "two", "three"), log());
        String t = read("t.md");
        assertTrue(t.contains("## Step 1 · One") && t.contains("## Step 3 · Three"), t);
        assertTrue(t.contains("**Status: ok**"));
        assertTrue(t.contains("<!-- cutover:session-end {\"outcome\":\"ok\""));
    }

    @Test
    void aFailedStepExitsOneAndResumeSkipsWhatWasDoneAndAppends() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.Result first = Cli.run(dir, "run", "rb.md", "-p", "pw=Sup3rSecretValue", "--transcript", "t.md");
        assertEquals(1, first.exit(), first.out());
        assertTrue(first.out().contains("Step 2 (two) failed at rb.md:22: IllegalStateException: gate closed for ******"), first.out());
        assertEquals(List.of("one"), log());

        Files.writeString(dir.resolve("gate.txt"), "open");
        long sizeBefore = Files.size(dir.resolve("t.md"));
        Cli.Result resumed = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=Sup3rSecretValue");
        assertEquals(0, resumed.exit(), resumed.out());
        assertEquals(List.of("one", "two", "three"), log(), "step 1 must not run twice");
        String t = read("t.md");
        assertTrue(Files.size(dir.resolve("t.md")) > sizeBefore);
        assertEquals(1, count(t, "<!-- cutover:session "), "one header, appended to");
        assertEquals(1, count(t, "<!-- cutover:resume "));
        assertEquals(1, count(t, "\"n\":1,\"id\":\"one\",\"status\":\"ok\""));
        assertEquals(2, count(t, "<!-- cutover:step-start {\"n\":2,"));
    }

    @Test
    void killNineMidStepThenResumeAsksThenCompletesWithoutRedoingSteps() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Process p = Cli.builder(dir, "run", "rb.md", "-p", "pw=Sup3rSecretValue", "-p", "hang=yes", "--transcript", "t.md").start();
        Path started = dir.resolve("started.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(started) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(Files.exists(started), "step 2 never started");
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, nothing flushed on the way out
        p.waitFor(10, TimeUnit.SECONDS);
        String t = read("t.md");
        assertTrue(t.contains("<!-- cutover:step-start {\"n\":2,"), "the in-flight step start was synced: " + t);
        assertFalse(t.contains("\"n\":2,\"id\":\"two\",\"status\""));

        Cli.Result asks = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=Sup3rSecretValue", "-p", "hang=no");
        assertEquals(1, asks.exit(), asks.out());
        assertTrue(asks.out().contains("Step 2 (two) was running when the last run ended; its outcome is unknown"), asks.out());

        Cli.Result done = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=Sup3rSecretValue", "-p", "hang=no", "--yes");
        assertEquals(0, done.exit(), done.out());
        assertEquals(List.of("one", "two", "three"), log());
        String after = read("t.md");
        assertTrue(after.contains("<!-- cutover:event {\"type\":\"outcome-unknown\""), after);
        // the step that died left its output fence open; the resume closed it, so the document still renders
        assertEquals(0, count(after, "~~~~~~") % 2, "balanced output fences");
    }

    @Test
    void resumeRefusesWhenACompletedStepChangedUnlessForced() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        assertEquals(1, Cli.run(dir, "run", "rb.md", "-p", "pw=x-secret", "--transcript", "t.md").exit());
        Cli.write(dir, "rb.md", RUNBOOK.replace("'one\\n'", "'ONE\\n'"));
        Files.writeString(dir.resolve("gate.txt"), "open");
        Cli.Result refused = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=x-secret");
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.out().contains("resume refused: Step 1 (one) at rb.md:14 changed since it ran ok"), refused.out());
        Cli.Result forced = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=x-secret", "--force");
        assertEquals(0, forced.exit(), forced.out());
        assertEquals(List.of("one", "two", "three"), log());
    }

    @Test
    void aSecretParamNeverReachesTranscriptOrStdout() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.Result r = Cli.run(dir, "run", "rb.md", "-p", "pw=Sup3rSecretValue", "--transcript", "t.md");
        assertEquals(1, r.exit());
        assertFalse(r.out().contains("Sup3rSecretValue"), r.out());
        assertFalse(read("t.md").contains("Sup3rSecretValue"));
        assertTrue(read("t.md").contains("connecting with ******"));
        assertTrue(read("t.md").contains("`pw=******`"));
    }

    @Test
    void exitTwoForBadUsageAndRunbooksThatDoNotCompile() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.Result undeclared = Cli.run(dir, "run", "rb.md", "-p", "pw=x", "-p", "nope=1");
        assertEquals(2, undeclared.exit());
        assertTrue(undeclared.out().contains("-p nope: rb.md declares no param 'nope' (it declares: "), undeclared.out());

        Cli.Result missing = Cli.run(dir, "run", "rb.md");
        assertEquals(2, missing.exit());
        assertTrue(missing.out().contains("rb.md: missing required param pw: pass -p pw=..."), missing.out());

        Cli.write(dir, "bad.md", "# Bad\n\n## Fine\n\n```groovy\nx = 1\n```\n\n## Broken\n\n```groovy\ny = [1,\nnew File('ran.txt').text = 'x'\n```\n");
        Cli.Result bad = Cli.run(dir, "run", "bad.md");
        assertEquals(2, bad.exit(), bad.out());
        assertTrue(bad.out().startsWith("bad.md:13: Groovy syntax error"), bad.out());
        assertFalse(bad.out().contains("at org.codehaus"), "no stack trace without --trace");
        assertFalse(Files.exists(dir.resolve("ran.txt")));

        assertEquals(2, Cli.run(dir, "run", "nothere.md").exit());
        assertEquals(2, Cli.run(dir, "run", "rb.md", "--bogus").exit());
        Cli.Result check = Cli.run(dir, "check", "bad.md");
        assertEquals(2, check.exit());
        assertTrue(check.out().startsWith("bad.md:13: "), check.out());
    }

    @Test
    void checkListsStepsWithFlags() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK.replace("```groovy id=two", "```groovy id=two confirm timeout=2m"));
        Cli.Result r = Cli.run(dir, "check", "rb.md");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("  2  two    groovy  Two  [confirm timeout=2m]"), r.out());
        assertTrue(r.out().contains("param pw (secret) (required) — a password"), r.out());
    }

    @Test
    void confirmStepsNeedYesAndManualStepsAreSkipped() throws Exception {
        String rb = RUNBOOK.replace("```groovy id=two", "```groovy id=two confirm").replace("## Three\n\n```groovy", "## Three\n\n```groovy manual");
        Cli.write(dir, "rb.md", rb);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Cli.Result refused = Cli.run(dir, "run", "rb.md", "-p", "pw=abc-secret", "--transcript", "t1.md");
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.out().contains("Step 2 (two) refused at rb.md:21: the step is marked confirm; pass --yes"), refused.out());
        Files.delete(dir.resolve("log.txt"));
        Cli.Result yes = Cli.run(dir, "run", "rb.md", "-p", "pw=abc-secret", "--yes", "--transcript", "t2.md");
        assertEquals(0, yes.exit(), yes.out());
        assertEquals(List.of("one", "two"), log(), "the manual step is not run in batch");
        assertTrue(read("t2.md").contains("\"id\":\"three\",\"status\":\"skipped\""));
    }

    @Test
    void fromAndUntilSelectSteps() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        assertEquals(0, Cli.run(dir, "run", "rb.md", "-p", "pw=abc-secret", "--from", "two", "--until", "2").exit());
        assertEquals(List.of("two"), log());
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Cli.write(dir, "dry.md", "# Dry\n\n## Touch\n\n```groovy\nsh 'touch touched.txt'\n```\n");
        Cli.Result r = Cli.run(dir, "run", "dry.md", "--dry-run", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("would run: local$ touch touched.txt"), r.out());
        assertFalse(Files.exists(dir.resolve("touched.txt")));
        assertTrue(read("t.md").contains("(batch, dry run)"));
    }

    @Test
    void sigintCancelsTheStepAndExits130() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Process p = Cli.builder(dir, "run", "rb.md", "-p", "pw=abc-secret", "-p", "hang=yes", "--transcript", "t.md").start();
        Path started = dir.resolve("started.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(started) && System.nanoTime() < deadline) Thread.sleep(50);
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "SIGINT must end the run promptly");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(130, p.exitValue(), out);
        assertTrue(read("t.md").contains("\"id\":\"two\",\"status\":\"interrupted\""));
    }

    @Test
    void aResumedRunCanStillUnfreezeWhatTheFailedRunFroze() throws Exception {
        Cli.write(dir, "fr.md", """
                # Freeze across a resume

                ## Freeze

                ```groovy
                f = freeze run: ['local': 'touch apps-stopped'], undo: ['local': 'rm apps-stopped']
                ```

                ## Fail once

                ```groovy
                if (!new File('gate.txt').exists()) throw new IllegalStateException('not yet')
                ```

                ## Unfreeze

                ```groovy
                unfreeze()
                ```
                """);
        assertEquals(1, Cli.run(dir, "run", "fr.md", "--transcript", "t.md").exit());
        assertTrue(Files.exists(dir.resolve("apps-stopped")));
        assertTrue(read("t.md").contains("<!-- cutover:event {\"type\":\"freeze\""));
        Files.writeString(dir.resolve("gate.txt"), "open");
        Cli.Result r = Cli.run(dir, "run", "fr.md", "--resume", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("still frozen from the earlier run: apps on local (freeze-1)"), r.out());
        assertFalse(Files.exists(dir.resolve("apps-stopped")), "the resumed run undid the earlier freeze");
        assertTrue(read("t.md").contains("\"frozenMs\""));
    }

    @Test
    void aFailedRunEndsNamingTheFreezeStillInEffectAndAResumeThatUndoesIt() throws Exception {
        Cli.write(dir, "fr.md", """
                # Freeze, fail, and the way out

                ## Freeze

                ```groovy
                f = freeze run: ['local': 'touch apps-stopped'], undo: ['local': 'rm apps-stopped']
                ```

                ## Fail

                ```groovy
                throw new IllegalStateException('the window went wrong')
                ```

                ## Unfreeze

                ```groovy
                unfreeze f
                ```

                ## After the window

                ```groovy
                new File('after.txt').text = 'ran'
                ```
                """);
        Cli.Result failed = Cli.run(dir, "run", "fr.md", "--transcript", "t.md");
        assertEquals(1, failed.exit(), failed.out());
        List<String> lines = failed.out().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("still frozen: apps on local since \\d\\d:\\d\\d:\\d\\dZ \\([0-9.]+m?s\\): undo with: "
                + "cutover run fr.md --resume t.md --from 3 --until 3"), failed.out());
        assertTrue(lines.get(lines.size() - 2).contains("stopped (failed)"), failed.out());

        // The printed command is real: it undoes the freeze (with the handle the runbook uses) and nothing else.
        String command = last.substring(last.indexOf("undo with: cutover ") + "undo with: cutover ".length());
        Cli.Result undone = Cli.run(dir, command.split(" "));
        assertEquals(0, undone.exit(), undone.out());
        assertFalse(Files.exists(dir.resolve("apps-stopped")), "the resumed step undid the freeze");
        assertFalse(Files.exists(dir.resolve("after.txt")), "--until stopped after the unfreeze step");
        assertFalse(undone.out().contains("still frozen:"), undone.out());
        assertTrue(read("t.md").contains("\"frozenMs\""));
    }

    @Test
    void withoutAnUnfreezeStepLeftTheLastLineIsTheUndoByHand() throws Exception {
        Cli.write(dir, "fr.md", "# Frozen\n\n## Freeze\n\n```groovy\nfreeze run: ['local': 'touch apps-stopped'], undo: ['local': 'rm apps-stopped']\n```\n");
        Cli.Result r = Cli.run(dir, "run", "fr.md", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().strip().endsWith("undo with: on local: rm apps-stopped  (fr.md has no unfreeze step left to resume into)"), r.out());
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void fromStillRunsTheAlwaysStepsBeforeIt() throws Exception {
        Cli.write(dir, "from.md", "# From\n\n## Connect\n\n```groovy always\nx = 20\n```\n\n## Skipped\n\n```groovy\nthrow new RuntimeException('must not run')\n```\n\n"
                + "## Uses x\n\n```groovy id=uses\nprintln \"x is ${x + 1}\"\n```\n");
        Cli.Result r = Cli.run(dir, "run", "from.md", "--from", "uses", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("x is 21"), r.out());
        assertFalse(r.out().contains("must not run"), r.out());
    }
}
