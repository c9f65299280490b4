package dev.cutover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.cutover.app.Builtins;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.RunbookParser;

/** A step past its timeout= failed (and may be retried); only the operator's Ctrl-C interrupts. */
class StepTimeoutTest {

    static Runbook runbook(String text) {
        return new RunbookParser().parse(Path.of("t.md"), "t.md", text.getBytes(StandardCharsets.UTF_8));
    }

    static Notebook notebook(Runbook rb) {
        Notebook nb = new Notebook(Builtins.registry(), Prompter.batch(false));
        nb.setParams(Map.of(), Set.of());
        nb.open(rb);
        return nb;
    }

    @Test
    void aStepPastItsTimeoutFailedWithTheLimitInItsError() {
        Runbook rb = runbook("# T\n\n## Slow\n\n```groovy timeout=1s\nsleep 30\n```\n");
        long t0 = System.nanoTime();
        StepResult r = notebook(rb).runStep(rb.steps().get(0));
        assertEquals(StepStatus.FAILED, r.status(), r.error());
        assertEquals("Step 1 (slow) failed at t.md:6: timed out after 1s", r.error());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 4000);
    }

    @Test
    void aTimedOutAttemptIsRetried() {
        Runbook rb = runbook("# T\n\n## Slow once\n\n```groovy timeout=500ms retry=1\n"
                + "tries = (binding.hasVariable('tries') ? tries : 0) + 1\nif (tries == 1) sleep 30\n'second attempt'\n```\n");
        Notebook nb = notebook(rb);
        StepResult r = nb.runStep(rb.steps().get(0));
        assertEquals(StepStatus.OK, r.status(), r.error());
        assertEquals("second attempt", r.value());
        assertEquals(2, nb.variables().get("tries"));
    }

    @Test
    void ctrlCBeforeTheTimeoutStaysAnInterruptionAndIsNotRetried() throws Exception {
        Runbook rb = runbook("# T\n\n## Slow\n\n```groovy timeout=20s retry=2\n"
                + "tries = (binding.hasVariable('tries') ? tries : 0) + 1\nsleep 30\n```\n");
        Notebook nb = notebook(rb);
        Thread operator = new Thread(() -> {
            try {
                while (nb.variable("tries") == null) Thread.sleep(20); // the step is in its sleep
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                return;
            }
            nb.cancelCurrent();
        });
        operator.start();
        StepResult r = nb.runStep(rb.steps().get(0));
        operator.join();
        assertEquals(StepStatus.INTERRUPTED, r.status(), r.error());
        assertTrue(r.error().contains("interrupted by the operator (Ctrl-C)"), r.error());
        assertEquals(1, nb.variables().get("tries"));
    }

    private static String parseError(String flag) {
        RunbookException e = assertThrows(RunbookException.class,
                () -> runbook("# T\n\n## Slow\n\n```groovy " + flag + "\nsleep 1\n```\n"));
        return e.oneLine();
    }

    @Test
    void aTimeoutOfZeroNegativeOrNonsenseIsAnErrorAtTheFenceLine() {
        assertEquals("t.md:5: timeout=0s is no time at all: give the step a limit longer than zero (timeout=30s)", parseError("timeout=0s"));
        assertEquals("t.md:5: timeout=0 is no time at all: give the step a limit longer than zero (timeout=30s)", parseError("timeout=0"));
        assertEquals("t.md:5: timeout=0.0001s is no time at all: give the step a limit longer than zero (timeout=30s)", parseError("timeout=0.0001s"));
        assertTrue(parseError("timeout=-1s").startsWith("t.md:5: timeout=-1s: not a duration"), parseError("timeout=-1s"));
        assertTrue(parseError("timeout=soon").startsWith("t.md:5: timeout=soon: not a duration"), parseError("timeout=soon"));
    }
}
