package dev.cutover.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import dev.cutover.spi.OutputKind;

/** Progress on one line: rewritten in place on a terminal, a few plain lines in a log. */
class ProgressLineTest {
    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);
    private final AtomicLong nanos = new AtomicLong();

    private ProgressLine plain() {
        return new ProgressLine(out, AttributedString::toString, null, nanos::get);
    }

    @Test
    void aLogGetsAtMostOneLinePerIntervalAndTheLatestBeforeOtherOutput() {
        ProgressLine p = plain();
        for (int pct = 0; pct <= 50; pct++) {
            p.show(new AttributedString("copying " + pct + "%"));
            nanos.addAndGet(30_000_000L); // an update every 30 ms: 1.5 s in all
        }
        assertEquals(List.of("copying 0%"), lines());
        for (int pct = 51; pct <= 100; pct++) {
            p.show(new AttributedString("copying " + pct + "%"));
            nanos.addAndGet(30_000_000L);
        }
        p.settle();
        p.settle();
        // 0% at once, the first update 2 s later (67%), and 100% written before whatever comes next
        assertEquals(List.of("copying 0%", "copying 67%", "copying 100%"), lines());
        assertFalse(text.toString().contains("\r"));
    }

    @Test
    void aTerminalGetsOneLineRewrittenInPlaceCutToItsWidth() {
        ProgressLine p = new ProgressLine(out, AttributedString::toString, () -> 12, nanos::get);
        p.show(new AttributedString("copying 1%"));
        p.show(new AttributedString("copying 100% of a very long path"));
        assertEquals("\rcopying 1%\u001b[K\rcopying 100\u001b[K", text.toString(), "no newline, never wider than 11 of 12 columns");
        p.settle();
        assertTrue(text.toString().endsWith("\u001b[K\n"), "ended when other output comes; the last state stays");
        p.settle();
        assertEquals(1, text.toString().chars().filter(c -> c == '\n').count());
    }

    @Test
    void theBatchPrinterNoLongerPrintsEveryProgressUpdate() {
        ConsolePrinter printer = new ConsolePrinter(out, false, 1);
        for (int i = 1; i <= 500; i++) printer.output(OutputKind.PROGRESS, "hashed " + i + "/500 tables");
        printer.output(OutputKind.OUT, "done");
        List<String> lines = lines();
        assertTrue(lines.size() <= 3, "500 updates in well under 2 s: " + lines.size() + " lines");
        assertEquals("  hashed 500/500 tables", lines.get(lines.size() - 2), "the final state is there, before the next line");
        assertEquals("  done", lines.get(lines.size() - 1));
    }

    private List<String> lines() {
        out.flush();
        return text.toString().lines().toList();
    }
}
