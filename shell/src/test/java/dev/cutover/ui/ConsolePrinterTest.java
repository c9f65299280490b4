package dev.cutover.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepStatus;
import dev.cutover.spi.OutputKind;
import org.junit.jupiter.api.Test;

/** What a block prints cannot drive the operator's terminal; cutover's own colours still do. */
class ConsolePrinterTest {
    private static final String HOSTILE = "a\u001b[2J\u001b]0;pwned\u0007b\rFAKE ✔ done\u009b2J\u007f";

    @Test
    void controlSequencesFromStepsAreShownNotObeyedAndOurColoursStay() {
        StringWriter sw = new StringWriter();
        ConsolePrinter p = new ConsolePrinter(new PrintWriter(sw), true, 1);
        p.output(OutputKind.OUT, HOSTILE);
        p.output(OutputKind.ERR, "e\u001b[8mhidden");
        p.output(OutputKind.PROGRESS, HOSTILE);
        p.note(HOSTILE, Instant.now());
        p.event("freeze", Map.of("target", HOSTILE), Instant.now());
        p.evalFinished("x", new StepResult(StepStatus.FAILED, null, List.of(HOSTILE), List.of(), Instant.now(), Duration.ofMillis(3),
                "failed: e\u001b[8mhidden", null));
        String shown = sw.toString();
        // ours: the red of an error line, the bold red of a failed status
        assertTrue(shown.contains("\u001b[31m") || shown.contains("\u001b[0;31m"), shown);
        assertTrue(shown.contains("e^[[8mhidden") && shown.contains("a^[[2J^[]0;pwned^Gb^MFAKE ✔ done\\u009b2J^?"), shown);
        // theirs: no sequence the step wrote survives, no BEL, no CR, no DEL, no C1
        for (String raw : List.of("\u001b[2J", "\u001b]0;", "\u001b[8m", "\u0007", "\r", "\u009b", "\u007f")) {
            assertFalse(shown.contains(raw), "raw " + raw.codePointAt(0) + " in: " + shown);
        }
    }

    @Test
    void plainOutputIsUnchanged() {
        StringWriter sw = new StringWriter();
        ConsolePrinter p = new ConsolePrinter(new PrintWriter(sw), false, 1);
        p.output(OutputKind.OUT, "col\tcol é ✔");
        assertTrue(sw.toString().startsWith("  col\tcol é ✔"), sw.toString());
    }
}
