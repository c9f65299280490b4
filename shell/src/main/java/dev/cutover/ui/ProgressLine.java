package dev.cutover.ui;

import java.io.PrintWriter;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.jline.utils.AttributedString;

/**
 * How progress updates ({@code copying: 812 / 4096 kB (19%)}) reach the operator. On a terminal:
 * one line rewritten in place, cut to the screen's width so it never wraps, and ended when other
 * output comes, so its last state stays on screen. Anywhere else (a pipe, a file, a CI log): plain
 * lines, at most one per interval, and the latest one held back is written before the next other
 * line, so a log shows the pace and always the final state without thousands of lines.
 */
final class ProgressLine {
    /** A log gets a progress line at most this often; the same pace as the transcript's. */
    static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

    private final PrintWriter out;
    private final Function<AttributedString, String> render;
    private final IntSupplier width;
    private final java.util.function.LongSupplier clock;
    /** In place: a progress line is on screen without its newline. */
    private boolean open;
    /** Plain: the newest update not written yet, and when the last one was. */
    private AttributedString held;
    private long lastWritten;
    private boolean anyWritten;

    /**
     * @param width null for plain lines (not a terminal); else the terminal's columns (0 when unknown)
     */
    ProgressLine(PrintWriter out, Function<AttributedString, String> render, IntSupplier width, java.util.function.LongSupplier clock) {
        this.out = out;
        this.render = render;
        this.width = width;
        this.clock = clock;
    }

    boolean inPlace() {
        return width != null;
    }

    void show(AttributedString line) {
        if (inPlace()) {
            int columns = width.getAsInt();
            AttributedString fitted = columns > 1 && line.columnLength() >= columns ? line.columnSubSequence(0, columns - 1) : line;
            // \r back to column 0, the update, then erase what a longer previous update left
            out.print("\r" + render.apply(fitted) + "\u001b[K");
            out.flush();
            open = true;
            return;
        }
        long now = clock.getAsLong();
        if (anyWritten && now - lastWritten < PLAIN_EVERY_NANOS) {
            held = line;
            return;
        }
        writePlain(line, now);
    }

    /** Before any other output: end the line in place, or write the update held back. */
    void settle() {
        if (open) {
            out.println();
            open = false;
        }
        if (held != null) writePlain(held, clock.getAsLong());
    }

    private void writePlain(AttributedString line, long now) {
        held = null;
        anyWritten = true;
        lastWritten = now;
        out.println(render.apply(line));
        out.flush();
    }
}
