package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runbook that would end the shell's JVM is a usage error before any step runs. */
class ExitCallCheckTest {
    @TempDir
    Path dir;

    static final String RUNBOOK = """
            # Quits

            ## Marks

            ```groovy
            new File('step1.txt').text = 'ran'
            ```

            ## Quits

            ```groovy
            if (!new File('go.txt').exists()) {
                Runtime.getRuntime().halt(4)
            }
            ```
            """;

    @Test
    void checkNamesTheFileAndLineAndExitsTwo() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK.replace("Runtime.getRuntime().halt(4)", "System.exit(3)"));
        Cli.Result r = Cli.run(dir, "check", "rb.md");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().startsWith("rb.md:13: System.exit would end cutover itself; to fail the step, throw new Exception('why')"), r.out());
        assertFalse(r.out().contains("at org.codehaus"), r.out());
    }

    /** Evaluated text is refused when it runs: the step fails, the run goes on to exit 1, the shell lives. */
    @Test
    void anExitInEvaluatedTextFailsTheStep() throws Exception {
        Cli.write(dir, "rb.md", "# Sly\n\n```groovy\nEval.me('System.exit(0)')\n```\n");
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--transcript", "t.md");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("System.exit would end cutover itself"), r.out());
    }

    @Test
    void aBatchRunWithHaltInStepTwoRunsNothingAndExitsTwo() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--transcript", "t.md");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().startsWith("rb.md:13: Runtime.halt would end cutover itself"), r.out());
        assertFalse(Files.exists(dir.resolve("step1.txt")), "compile-all-first: step 1 must not have run");
    }

    /** Statically compiled code reaching System.exit by reflection with names built at run time: past both guards. */
    static final String STATIC_EXIT = "@groovy.transform.CompileStatic\n"
            + "def quit(int code) { Class.forName(new StringBuilder('metsyS.gnal.avaj').reverse().toString())"
            + ".getMethod(new StringBuilder('tixe').reverse().toString(), int).invoke(null, code) }\n";

    /**
     * An exit neither the compile check nor the run-time refusals can see still ends the process, but never with
     * the code the block chose: the run did not finish, the report says "terminated", and the exit code says the same.
     */
    @Test
    void anExitTheCheckCannotSeeEndsWithTheTerminatedCodeNeverZero() throws Exception {
        Cli.write(dir, "rb.md", "# Sly\n\n```groovy\n" + STATIC_EXIT + "quit(0)\n```\n\n```groovy\nnew File('step2.txt').text = 'ran'\n```\n");
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--transcript", "t.md", "--report", "r.json");
        assertEquals(ReportKeeper.TERMINATED, r.exit(), r.out());
        assertTrue(r.out().contains("the process is ending before the run finished"), r.out());
        assertFalse(Files.exists(dir.resolve("step2.txt")));
        String report = Files.readString(dir.resolve("r.json"));
        assertTrue(report.contains("\"exitCode\": 143") || report.contains("\"exitCode\":143"), report);
    }
}
