package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In batch, a timed-out step is a failed step: exit 1, and continue-on-error goes on past it. */
class StepTimeoutExitCodeTest {
    @TempDir
    Path dir;

    static String runbook(String flags) {
        return "# Timeouts\n\n## Slow\n\n```groovy timeout=1s " + flags + "\nsleep 30\n```\n\n"
                + "## After\n\n```groovy\nnew File('after.txt').text = 'ran'\n```\n";
    }

    @Test
    void aTimedOutStepFailsTheRunWithExitOne() throws Exception {
        Cli.write(dir, "rb.md", runbook(""));
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--transcript", "t.md");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("Step 1 (slow) failed at rb.md:6: timed out after 1s"), r.out());
        assertTrue(Files.readString(dir.resolve("t.md")).contains("\"id\":\"slow\",\"status\":\"failed\""));
        assertTrue(!Files.exists(dir.resolve("after.txt")));
    }

    @Test
    void continueOnErrorGoesOnAfterATimeout() throws Exception {
        Cli.write(dir, "rb.md", runbook("continue-on-error"));
        Cli.Result r = Cli.run(dir, "run", "rb.md", "--transcript", "t.md");
        assertEquals(0, r.exit(), r.out());
        assertTrue(Files.exists(dir.resolve("after.txt")), r.out());
    }
}
