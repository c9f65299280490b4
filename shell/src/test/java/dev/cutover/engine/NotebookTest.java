package dev.cutover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.cutover.app.Builtins;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.OptionSpec;
import dev.cutover.spi.OutputKind;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.RunbookParser;

class NotebookTest {

    /** A stand-in for a hyphenated built-in: pure logic, so a fake is right here. */
    static final class FixHistoryProbe implements Command {
        @Override
        public CommandSpec spec() {
            return CommandSpec.of("probeHistory", "test probe", "probeHistory", OptionSpec.of("force", "force"));
        }

        @Override
        public Object run(CommandContext ctx, Invocation call) {
            ctx.out("fixing " + call.arg(0));
            return "fixed " + call.arg(0) + (call.flag("force", false) ? " (forced)" : "");
        }
    }

    static Registry registry() {
        List<Command> all = new ArrayList<>(Builtins.registry().all());
        all.add(new FixHistoryProbe());
        return new Registry(all);
    }

    static Runbook runbook(String text) {
        return new RunbookParser().parse(Path.of("t.md"), "t.md", text.getBytes(StandardCharsets.UTF_8));
    }

    static Notebook notebook(Runbook rb) {
        Notebook nb = new Notebook(registry(), Prompter.batch(false));
        nb.setParams(Map.of("name", "world"), Set.of());
        if (rb != null) nb.open(rb);
        return nb;
    }

    static final class Capture implements NotebookListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void output(OutputKind kind, String line) {
            lines.add(line);
        }
    }

    @Test
    void variablesPersistAcrossStepsAndTypedLines() {
        Runbook rb = runbook("# T\n\n## A\n\n```groovy\nx = 20\n```\n\n## B\n\n```groovy\ny = x + 1\n```\n");
        Notebook nb = notebook(rb);
        assertTrue(nb.runStep(rb.steps().get(0)).ok());
        assertTrue(nb.runStep(rb.steps().get(1)).ok());
        StepResult r = nb.eval("x + y + params.name.size()");
        assertEquals(46, r.value());
        nb.eval("z = 'typed'");
        assertEquals("typed", nb.variables().get("z"));
        assertEquals(List.of("x", "y", "z"), new ArrayList<>(nb.variables().keySet()));
    }

    @Test
    void syntaxErrorInBlockThreeReportsTheRunbookLine() throws Exception {
        Runbook rb = new RunbookParser().parse(Path.of("syntax-error-block3.md"), "syntax-error-block3.md",
                NotebookTest.class.getResourceAsStream("/runbooks/syntax-error-block3.md").readAllBytes());
        Notebook nb = notebook(rb);
        nb.compile(rb.steps().get(0));
        nb.compile(rb.steps().get(1));
        RunbookException e = assertThrows(RunbookException.class, () -> nb.compile(rb.steps().get(2)));
        assertEquals(20, e.location().line(), e.detailed());
        assertTrue(e.oneLine().startsWith("syntax-error-block3.md:20: Groovy syntax error"), e.oneLine());
        assertTrue(e.detailed().contains("\n    e = 5 ++ ;\n"), e.detailed());
        assertTrue(e.detailed().matches("(?s).*\\n +\\^$"), "caret line: " + e.detailed());
    }

    @Test
    void aSyntaxErrorOnALineWithAUrlPasswordShowsTheLineMaskedWithTheCaretInPlace() {
        Runbook rb = runbook("# T\n\n## Bad\n\n```groovy\nold = connect 'old', url: 'postgresql://app:CaretPw-31@db1/appdb',, ssh: 'h'\n```\n");
        Notebook nb = notebook(rb);
        RunbookException e = assertThrows(RunbookException.class, () -> nb.compile(rb.steps().get(0)));
        assertFalse(e.detailed().contains("CaretPw"), e.detailed());
        assertTrue(e.detailed().contains("postgresql://app:**********@db1/appdb"), e.detailed());
        // the caret still sits under the column the parser named (the masked line kept its length)
        String[] lines = e.detailed().split("\n");
        String source = lines[1].substring(4);
        int caret = lines[2].indexOf('^') - 4;
        assertEquals(e.location().column() - 1, caret, e.detailed());
        assertTrue(caret > source.indexOf("@db1"), e.detailed());
    }

    @Test
    void hyphenatedNamesRunTheCamelCaseCommand() {
        Runbook rb = runbook("# T\n\n## Fix\n\n```groovy\nprobe-history 'neu'\n```\n\n## Again\n\n```groovy\nr = probe-history 'old', force: true\nr\n```\n");
        Notebook nb = notebook(rb);
        Capture out = new Capture();
        nb.addListener(out);
        assertEquals("fixed neu", nb.runStep(rb.steps().get(0)).value());
        assertEquals("fixed old (forced)", nb.runStep(rb.steps().get(1)).value());
        assertEquals("fixed typed", nb.eval("probe-history 'typed'").value());
        assertEquals("fixed camel", nb.eval("probeHistory 'camel'").value());
        assertTrue(out.lines.contains("fixing neu"));
        // a hyphen elsewhere is still Groovy subtraction
        assertEquals(3, nb.eval("a = 5; b = 2; a - b").value());
    }

    @Test
    void runtimeErrorIsOneLineAtTheRunbookLine() {
        Runbook rb = runbook("# T\n\n## Ok\n\n```groovy\nx = 1\n```\n\n## Boom\n\n```groovy id=boom\ny = 2\nthrow new IllegalStateException('replica is behind')\n```\n");
        Notebook nb = notebook(rb);
        nb.runStep(rb.steps().get(0));
        StepResult r = nb.runStep(rb.steps().get(1));
        assertEquals(StepStatus.FAILED, r.status());
        assertEquals("Step 2 (boom) failed at t.md:13: IllegalStateException: replica is behind", r.error());
        assertNotNull(r.trace());
    }

    @Test
    void unknownCommandAndUnknownOptionAreClearLines() {
        Notebook nb = notebook(null);
        StepResult r = nb.eval("fixHistroy 'x'");
        assertEquals("<input>:1: unknown command or function 'fixHistroy'; did you mean fixHistory?", r.error());
        StepResult o = nb.eval("fix-history 'x', forse: true");
        assertEquals("<input>:1: fixHistory: unknown option 'forse:' (known: archive:, dryRun:, force:)", o.error());
        StepResult v = nb.eval("nothere + 1");
        assertTrue(v.error().startsWith("<input>:1: unknown variable 'nothere'"), v.error());
    }

    @Test
    void reRunningAStepDoesNotRecompile() {
        Runbook rb = runbook("# T\n\n## Count\n\n```groovy\nn = (binding.hasVariable('n') ? n : 0) + 1\n```\n");
        Notebook nb = notebook(rb);
        nb.runStep(rb.steps().get(0));
        int compiled = nb.groovy().compilations();
        nb.runStep(rb.steps().get(0));
        nb.runStep(rb.steps().get(0));
        assertEquals(compiled, nb.groovy().compilations());
        assertEquals(3, nb.variables().get("n"));
    }

    @Test
    void cancelStopsABusyGroovyLoopWithinTwoSeconds() throws Exception {
        Notebook nb = notebook(null);
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException ignored) {
            }
            nb.cancelCurrent();
        });
        canceller.start();
        long t0 = System.nanoTime();
        StepResult r = nb.eval("long i = 0; while (true) { i++ }");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(StepStatus.INTERRUPTED, r.status());
        assertTrue(ms < 2400, "took " + ms + " ms");
        assertTrue(r.error().contains("interrupted by the operator"), r.error());
    }

    @Test
    void stepTimeoutStopsItAndFailsIt() {
        Runbook rb = runbook("# T\n\n## Slow\n\n```groovy timeout=500ms\nsleep 30\n```\n");
        Notebook nb = notebook(rb);
        long t0 = System.nanoTime();
        StepResult r = nb.runStep(rb.steps().get(0));
        assertEquals(StepStatus.FAILED, r.status());
        assertTrue(r.error().contains("timed out after 500ms"), r.error());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
    }

    @Test
    void retryRunsAFailingStepAgain() {
        Runbook rb = runbook("# T\n\n## Flaky\n\n```groovy retry=2\ntries = (binding.hasVariable('tries') ? tries : 0) + 1\nif (tries < 3) throw new RuntimeException('not yet')\n'third time'\n```\n");
        Notebook nb = notebook(rb);
        StepResult r = nb.runStep(rb.steps().get(0));
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertEquals(3, nb.variables().get("tries"));
    }

    @Test
    void confirmInBatchWithoutYesFailsTheStepAndNoIsARefusal() {
        Notebook nb = notebook(null);
        StepResult r = nb.eval("confirm 'drop the old cluster?'\nx = 'ran'");
        assertEquals(StepStatus.FAILED, r.status());
        assertTrue(r.error().contains("needs confirmation: drop the old cluster? (in batch, pass --yes"), r.error());
        assertEquals(null, nb.variable("x"));
        nb.setPrompter(new Prompter() {
            @Override
            public boolean confirm(String question) {
                return false;
            }

            @Override
            public String ask(String name, String description, boolean secret) {
                return null;
            }
        });
        StepResult no = nb.eval("confirm 'go?'\nx = 'ran'");
        assertEquals(StepStatus.REFUSED, no.status());
        assertEquals(null, nb.variable("x"));
    }

    @Test
    void secretsAreMaskedInOutputAndErrors() {
        Notebook nb = notebook(null);
        nb.setParams(Map.of("pw", "hunter2-secret"), Set.of("pw"));
        Capture out = new Capture();
        nb.addListener(out);
        nb.eval("println \"pw=${params.pw} url=postgresql://app:tops3cret@db:5432/x\"");
        StepResult r = nb.eval("throw new RuntimeException('login failed with ' + params.pw)");
        assertEquals(List.of("pw=****** url=postgresql://app:******@db:5432/x"), out.lines);
        assertTrue(r.error().endsWith("login failed with ******"), r.error());
        assertTrue(!r.trace().contains("hunter2-secret"));
    }

    @Test
    void aMultiLineSecretIsMaskedWhetherPrintedAtOnceOrLineByLine() {
        Notebook nb = notebook(null);
        String key = "-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA7ml\nQx9fVb2Lw0Tz\n-----END KEY-----";
        nb.setParams(Map.of("key", key), Set.of("key"));
        Capture out = new Capture();
        nb.addListener(out);
        nb.eval("println params.key");
        // stray stdout reaches us a line at a time, as does a command's streamed output
        nb.eval("System.out.println(params.key)");
        nb.eval("params.key.readLines().each { ctx -> System.out.println('line: ' + ctx) }");
        String all = String.join("\n", out.lines);
        for (String secretLine : List.of("MIIEpAIBAAKCAQEA7ml", "Qx9fVb2Lw0Tz")) assertFalse(all.contains(secretLine), all);
        assertEquals("******", out.lines.get(0), all);
    }

    @Test
    void shReturnsExitCodeStdoutAndStderr() {
        Notebook nb = notebook(null);
        StepResult r = nb.eval("r = sh 'echo out; echo err >&2; exit 3'\n[r.exitCode, r.stdout.trim(), r.stderr.trim()]");
        assertEquals(List.of(3, "out", "err"), r.value());
        StepResult args = nb.eval("sh(['printf', '%s', 'a b; \"c\" \\'d\\''], quiet: true).stdout");
        assertEquals("a b; \"c\" 'd'", args.value());
    }

    @Test
    void dryRunListsActionsInsteadOfRunning() {
        Notebook nb = notebook(null);
        nb.setDryRun(true);
        StepResult r = nb.eval("sh 'touch /tmp/cutover-dry-run-must-not-exist'");
        assertEquals(List.of("would run: local$ touch /tmp/cutover-dry-run-must-not-exist"), r.actions());
        assertTrue(!java.nio.file.Files.exists(Path.of("/tmp/cutover-dry-run-must-not-exist")));
    }
}
