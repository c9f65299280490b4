package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's promises to a tired operator and a hostile input: one line, the right exit code, no file lost. */
class SafetyCliTest {
    @TempDir
    Path dir;

    private static final String RUNBOOK = BatchRunTest.RUNBOOK;

    /** A usage error: exit 2, one line, no Java stack trace. */
    private static void usage(Cli.Result r, String expected) {
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains(expected), "expected '" + expected + "' in: " + r.out());
        assertEquals(1, r.out().strip().lines().count(), "one line: " + r.out());
        assertFalse(r.out().contains("\tat ") || r.out().contains("Exception"), r.out());
    }

    @Test
    void helpOfEverySubcommandPrintsUsageAndExitsZero() throws Exception {
        for (String sub : List.of("run", "check", "render")) {
            Cli.Result r = Cli.run(dir, sub, "--help");
            assertEquals(0, r.exit(), sub + ": " + r.out());
            assertTrue(r.out().contains("Usage: cutover " + sub), r.out());
        }
    }

    @Test
    void badRunbooksAreOneLineAndExitTwo() throws Exception {
        usage(Cli.run(dir, "run", "absent.md"), "no such runbook: absent.md");
        Files.createDirectory(dir.resolve("adir.md"));
        usage(Cli.run(dir, "run", "adir.md"), "runbook adir.md is a directory");
        Files.write(dir.resolve("latin1.md"), "# Caf\u00e9\n\n```groovy\n1\n```\n".getBytes(StandardCharsets.ISO_8859_1));
        usage(Cli.run(dir, "check", "latin1.md"), "runbook latin1.md is not UTF-8 text (line 1)");
        Files.write(dir.resolve("bin.md"), new byte[] {'#', ' ', 'x', '\n', 0, 1, 2});
        usage(Cli.run(dir, "run", "bin.md"), "runbook bin.md is binary");
        Cli.write(dir, "empty.md", "");
        usage(Cli.run(dir, "run", "empty.md"), "empty.md: no steps");
        Cli.write(dir, "prose.md", "# Only prose\n\nno fences here\n");
        usage(Cli.run(dir, "check", "prose.md"), "prose.md: no steps");
    }

    @Test
    void aFiveMegabyteLineIsNotEchoedWhole() throws Exception {
        Cli.write(dir, "long.md", "# Long\n\n```groovy\nx = (" + "1 + ".repeat(1_250_000) + "\n```\n");
        Cli.Result r = Cli.run(dir, "check", "long.md");
        assertEquals(2, r.exit(), r.out().substring(0, Math.min(2000, r.out().length())));
        assertTrue(r.out().length() < 4000, "printed " + r.out().length() + " characters");
        assertTrue(r.out().startsWith("long.md:4: a code line of 50000"), r.out());
    }

    @Test
    void badParamsFilesAndStepRangesAreOneLineAndExitTwo() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Files.createDirectory(dir.resolve("pdir"));
        usage(Cli.run(dir, "run", "rb.md", "--params-file", "pdir"), "params file pdir is a directory");
        usage(Cli.run(dir, "run", "rb.md", "--params-file", "/dev/zero"), "params file /dev/zero is larger than 1 MiB");
        Files.write(dir.resolve("p.txt"), "pw=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        usage(Cli.run(dir, "run", "rb.md", "--params-file", "p.txt"), "params file p.txt is not UTF-8 text");
        usage(Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--from", "99999999999"), "--from 99999999999: no such step");
        usage(Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--from", "3", "--until", "1"), "step 1 comes before step 3");
        assertFalse(Files.exists(dir.resolve("log.txt")), "nothing ran");
    }

    @Test
    void aTranscriptNeverOverwritesAFile() throws Exception {
        Path rb = Cli.write(dir, "rb.md", RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        usage(Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--transcript", "rb.md"), "is the runbook itself");
        assertEquals(RUNBOOK, Files.readString(rb));
        Path old = Cli.write(dir, "old.md", "an earlier transcript\n");
        usage(Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--transcript", "old.md"), "old.md already exists");
        assertEquals("an earlier transcript\n", Files.readString(old));
        assertFalse(Files.exists(dir.resolve("log.txt")), "nothing ran");
    }

    @Test
    void defaultTranscriptNamesAreUniqueWithinOneSecond() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Instant at = Instant.parse("2026-11-26T03:00:00Z");
        Path a = TranscriptPaths.unique("SafetyCliTest-unique.md", at);
        Path b = TranscriptPaths.unique("SafetyCliTest-unique.md", at);
        try {
            assertNotEquals(a, b);
            assertTrue(Files.exists(cwd.resolve(a)) && Files.exists(cwd.resolve(b)));
        } finally {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        }
    }

    @Test
    void resumeTakesOnlyTheTranscriptOfItsOwnRunbook() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        assertEquals(1, Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--transcript", "t.md").exit());
        Cli.write(dir, "other.md", "# Something else\n\n## One\n\n```groovy\nnew File('other.txt').text = 'ran'\n```\n");
        usage(Cli.run(dir, "run", "other.md", "--resume", "t.md"), "records runbook " + dir.toRealPath().resolve("rb.md") + " (\"Resumable\"), not ");
        usage(Cli.run(dir, "run", "other.md", "--resume", "t.md", "--force"), "never a different one");
        assertFalse(Files.exists(dir.resolve("other.txt")));
        Files.writeString(dir.resolve("not-a-transcript.md"), "# notes\n");
        usage(Cli.run(dir, "run", "rb.md", "--resume", "not-a-transcript.md"), "not a cutover transcript");
        Files.write(dir.resolve("garbage.md"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        usage(Cli.run(dir, "run", "rb.md", "--resume", "garbage.md"), "transcript garbage.md is not UTF-8 text");
    }

    /** Two runbooks alike in title and first step (staging and prod): a transcript of one never resumes the other. */
    @Test
    void resumeRefusesTheTranscriptOfAnotherRunbookWithTheSameTitleAndName() throws Exception {
        String alike = "# Cutover\n\n## One\n\n```groovy\nnew File('log.txt') << 'one\\n'\n```\n\n## Two\n\n```groovy\n%s\n```\n";
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Path prod = Files.createDirectories(dir.resolve("prod"));
        Cli.write(staging, "cutover.md", alike.formatted("throw new IllegalStateException('staging fails')"));
        Cli.write(prod, "cutover.md", alike.formatted("new File('log.txt') << 'two\\n'"));
        assertEquals(1, Cli.run(staging, "run", "cutover.md", "--transcript", "../staging-transcript.md").exit());
        for (String force : new String[] {"", "--force"}) {
            Cli.Result r = force.isEmpty() ? Cli.run(prod, "run", "cutover.md", "--resume", "../staging-transcript.md")
                    : Cli.run(prod, "run", "cutover.md", "--resume", "../staging-transcript.md", force);
            usage(r, "records runbook " + staging.toRealPath().resolve("cutover.md"));
            assertTrue(r.out().contains("start a new transcript"), r.out());
            assertFalse(Files.exists(prod.resolve("log.txt")), "nothing of prod ran: " + r.out());
        }
        // the same file, edited, still resumes (its own runbook)
        Cli.write(staging, "cutover.md", alike.formatted("new File('log.txt') << 'fixed\\n'"));
        Cli.Result own = Cli.run(staging, "run", "cutover.md", "--resume", "../staging-transcript.md");
        assertEquals(0, own.exit(), own.out());
        assertEquals(List.of("one", "fixed"), Files.readAllLines(staging.resolve("log.txt")));
    }

    /** A transcript written before the runbook's real path was recorded still resumes its runbook. */
    @Test
    void anOldTranscriptWithoutTheRealPathStillResumes() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        assertEquals(1, Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--transcript", "t.md").exit());
        Path t = dir.resolve("t.md");
        String old = Files.readString(t).replaceAll(",\"runbookRealPath\":\"[^\"]*\"", "");
        assertFalse(old.contains("runbookRealPath"), old);
        Files.writeString(t, old);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Cli.Result r = Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--resume", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertEquals(List.of("one", "two", "three"), Files.readAllLines(dir.resolve("log.txt")));
    }

    /** A runbook holding a session line looks like a transcript: given as its own --resume (or --report), it is refused untouched. */
    @Test
    void theRunbookIsNeverItsOwnTranscriptOrReport() throws Exception {
        String text = "# R\n\n<!-- cutover:session {\"runbook\":\"r.md\",\"title\":\"R\",\"sha256\":\"x\",\"dryRun\":false} -->\n\n"
                + "```groovy\nnew File('log.txt') << 'one\\n'\n```\n";
        Path rb = Cli.write(dir, "r.md", text);
        usage(Cli.run(dir, "run", "r.md", "--resume", "r.md"), "--resume r.md is the runbook itself");
        usage(Cli.run(dir, "run", "r.md", "--resume", "./r.md"), "is the runbook itself");
        usage(Cli.run(dir, "run", "r.md", "--report", "r.md"), "--report r.md is also");
        usage(Cli.run(dir, "run", "r.md", "--transcript", "r.md"), "is the runbook itself");
        assertEquals(text, Files.readString(rb), "the runbook is untouched");
        assertFalse(Files.exists(dir.resolve("log.txt")), "nothing ran");
    }

    /** commonmark recurses per nesting level: thousands of them were a StackOverflowError ("internal error", exit 1). */
    @Test
    void markdownNestedTooDeeplyIsOneLineAndExitTwo() throws Exception {
        Cli.write(dir, "quotes.md", "# Deep\n\n```groovy\n1\n```\n\n" + ">".repeat(100_000) + "\n");
        usage(Cli.run(dir, "check", "quotes.md"), "quotes.md: nested too deeply for the Markdown parser (block quotes or lists)");
        Cli.write(dir, "lists.md", "- ".repeat(50_000) + "x\n");
        usage(Cli.run(dir, "run", "lists.md"), "lists.md: nested too deeply for the Markdown parser (block quotes or lists)");
    }

    /** @Grab needs Ivy, which cutover does not ship: it was "internal error: NoClassDefFoundError". */
    @Test
    void grabIsRefusedInOneLineAtItsRunbookLine() throws Exception {
        Cli.write(dir, "grab.md", "# Grab\n\n```groovy\n@Grab('org.example:lib:1.0')\nimport org.example.Lib\n```\n");
        Cli.Result r = Cli.run(dir, "check", "grab.md");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().startsWith("grab.md:4: @Grab is not available in runbooks (no downloads in a window); "), r.out());
        assertFalse(r.out().contains("NoClassDefFoundError") || r.out().contains("\tat "), r.out());
    }

    /** check and render take --trace, as their own error advice ("run with --trace") says. */
    @Test
    void checkAndRenderTakeTrace() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.Result r = Cli.run(dir, "check", "--trace", "rb.md");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("3 step(s)"), r.out());
        Cli.Result render = Cli.run(dir, "render", "--trace", "absent.md"); // taken: the error, then its trace
        assertEquals(2, render.exit(), render.out());
        assertTrue(render.out().startsWith("no such transcript: absent.md"), render.out());
    }

    @Test
    void aDryRunTranscriptNeverCountsAsDone() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Cli.Result dry = Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--dry-run", "--transcript", "dry.md");
        assertEquals(0, dry.exit(), dry.out());
        usage(Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--resume", "dry.md"), "records a dry run");
        assertEquals(1, Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--transcript", "real.md", "--until", "1").exit() == 0 ? 1 : 0);
        usage(Cli.run(dir, "run", "rb.md", "-p", "pw=secret-1", "--dry-run", "--resume", "real.md"), "a dry run never writes into a real run's transcript");
    }

    @Test
    void theAdviceForAStepThatDiedMidwayWorks() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Files.writeString(dir.resolve("gate.txt"), "open");
        Process p = Cli.builder(dir, "run", "rb.md", "-p", "pw=secret-1", "-p", "hang=yes", "--transcript", "t.md").start();
        Path started = dir.resolve("started.txt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(started) && System.nanoTime() < deadline) Thread.sleep(50);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        Cli.Result asks = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=secret-1", "-p", "hang=no");
        assertEquals(1, asks.exit(), asks.out());
        assertTrue(asks.out().contains("or --from 3 to go on after it"), asks.out());
        Cli.Result after = Cli.run(dir, "run", "rb.md", "--resume", "t.md", "-p", "pw=secret-1", "-p", "hang=no", "--from", "3");
        assertEquals(0, after.exit(), after.out());
        assertEquals(List.of("one", "three"), Files.readAllLines(dir.resolve("log.txt")), "step 2 is not re-run; step 3 runs");
    }

    @Test
    void secretsStayMaskedInHeaderParamsStrayOutputAndUrlPasswords() throws Exception {
        Cli.write(dir, "sec.md", """
                ---
                title: Secrets
                params:
                  pw: {secret: true}
                  url: {description: a url that embeds the password}
                  short: {secret: true, default: ab}
                ---

                # Secrets

                ## Leak attempts

                ```groovy
                System.out.println("stdout says " + params.pw)
                System.err.println("stderr says " + params.url)
                Thread.start { System.out.println("thread says " + params.pw) }.join()
                println 'postgresql://app:Pa@ss:w!rd9@db1:5432/appdb'
                ```
                """);
        Cli.Result r = Cli.run(dir, "run", "sec.md", "-p", "pw=Tr0ub4dor&3", "-p",
                "url=postgresql://app:Tr0ub4dor&3@db1/appdb", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        String t = Files.readString(dir.resolve("t.md"));
        for (String text : List.of(r.out(), t)) {
            assertFalse(text.contains("Tr0ub4dor"), text);
            assertFalse(text.contains("w!rd9") || text.contains("Pa@ss"), text);
        }
        assertTrue(t.contains("stdout says ******") && t.contains("stderr says postgresql://app:******@db1/appdb")
                && t.contains("thread says ******"), t);
        assertTrue(r.out().contains("secret param 'short' is shorter than 4 characters"), r.out());
    }

    @Test
    void theEnvironmentsPgpasswordIsMaskedInBatchOutputAndTranscript() throws Exception {
        Cli.write(dir, "env.md", "# Env\n\n## Leak\n\n```groovy\nprintln System.getenv('PGPASSWORD')\nSystem.getenv('PGPASSWORD')\n```\n");
        Cli.Result r = Cli.run(dir, java.util.Map.of("PGPASSWORD", "EnvLeak-Pw-88"), "run", "env.md", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        String t = Files.readString(dir.resolve("t.md"));
        for (String text : List.of(r.out(), t)) assertFalse(text.contains("EnvLeak"), text);
        assertTrue(r.out().contains("******"), r.out());
    }

    @Test
    void aSyntaxErrorQuotingAUrlPasswordIsMaskedByCheckAndRun() throws Exception {
        Cli.write(dir, "caret.md", "# Caret\n\n## Bad\n\n```groovy\nold = connect 'old', url: 'postgresql://app:CaretPw-31@db1/appdb',, ssh: 'h'\n```\n");
        for (String sub : List.of("check", "run")) {
            Cli.Result r = Cli.run(dir, sub, "caret.md");
            assertEquals(2, r.exit(), r.out());
            assertTrue(r.out().contains("Groovy syntax error") && r.out().contains("postgresql://app:***"), r.out());
            assertFalse(r.out().contains("CaretPw"), sub + ": " + r.out());
        }
    }

    @Test
    void controlSequencesAStepPrintsReachNeitherTheTerminalNorTheTranscript() throws Exception {
        Cli.write(dir, "esc.md", """
                # Escapes

                ## Print

                ```groovy
                println "a\\u001b[2J\\u001b]0;pwned\\u0007b\\rFAKE ✔ done"
                ```

                ## Throw

                ```groovy
                throw new Exception("e\\u001b[8mhidden")
                ```
                """);
        Cli.Result r = Cli.run(dir, "run", "esc.md", "--transcript", "t.md");
        assertEquals(1, r.exit(), r.out());
        String t = Files.readString(dir.resolve("t.md"));
        for (String text : List.of(r.out(), t)) {
            assertFalse(java.util.regex.Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]").matcher(text).find(), text);
            assertTrue(text.contains("e^[[8mhidden"), text);
        }
        assertTrue(r.out().contains("a^[[2J^[]0;pwned^Gb^MFAKE ✔ done"), r.out());
    }

    @Test
    void aSecretInAFreezeCommandIsMaskedAndItsMaskedUndoIsNeverRun() throws Exception {
        Cli.write(dir, "fr.md", """
                ---
                title: Freeze with a secret
                params:
                  token: {secret: true, description: an API token}
                ---

                # Freeze with a secret

                ## Stop the apps

                ```groovy
                f = freeze run: ['local': "echo stop ${params.token} > stopped.txt"], undo: ['local': "echo start ${params.token} > started.txt"]
                ```

                ## Fail inside the window

                ```groovy
                throw new IllegalStateException('boom')
                ```

                ## Let the apps go

                ```groovy
                unfreeze f
                ```
                """);
        Cli.Result r = Cli.run(dir, "run", "fr.md", "-p", "token=T0ken-Value-42", "--transcript", "t.md");
        assertEquals(1, r.exit(), r.out());
        String t = Files.readString(dir.resolve("t.md"));
        assertFalse(t.contains("T0ken-Value-42") || r.out().contains("T0ken-Value-42"), t);
        Cli.Result resumed = Cli.run(dir, "run", "fr.md", "--resume", "t.md", "-p", "token=T0ken-Value-42", "--from", "3");
        assertEquals(1, resumed.exit(), resumed.out());
        assertTrue(resumed.out().contains("held a secret, and the transcript recorded it masked: run it by hand"), resumed.out());
        assertFalse(Files.exists(dir.resolve("started.txt")), "a masked command is never run");
    }
}
