package dev.cutover.ui;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import dev.cutover.render.ControlChars;
import dev.cutover.render.EventLine;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import dev.cutover.spi.OutputKind;
import dev.cutover.engine.NotebookListener;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepStatus;
import dev.cutover.spi.Durations;
import dev.cutover.runbook.Step;

/**
 * Shows a notebook's events on a screen: step headers, output as it arrives, results as tables,
 * one-line errors. Colour when the output is a terminal, plain text otherwise. Progress updates go
 * through {@link ProgressLine}: in place on a terminal, periodic plain lines elsewhere.
 */
public final class ConsolePrinter implements NotebookListener {
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);
    private final PrintWriter out;
    private final boolean colour;
    private final int totalSteps;
    private boolean trace;
    private ProgressLine progress;

    public ConsolePrinter(PrintWriter out, boolean colour, int totalSteps) {
        this.out = out;
        this.colour = colour;
        this.totalSteps = totalSteps;
        this.progress = new ProgressLine(out, this::render, null, System::nanoTime);
    }

    /** The output is a terminal that can rewrite a line: progress updates one line in place. */
    public synchronized void progressInPlace(java.util.function.IntSupplier columns) {
        this.progress = new ProgressLine(out, this::render, columns, System::nanoTime);
    }

    public void setTrace(boolean trace) {
        this.trace = trace;
    }

    @Override
    public synchronized void stepStarted(Step step, int attempt, boolean outOfOrder, Instant at) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        sb.style(AttributedStyle.BOLD.foreground(AttributedStyle.CYAN)).append("▶ Step ").append(String.valueOf(step.number()));
        if (totalSteps > 0) sb.append("/").append(String.valueOf(totalSteps));
        sb.append(" ").append(step.id()).style(AttributedStyle.DEFAULT).append(" — ").append(step.title());
        if (attempt > 1) sb.style(DIM).append(" (attempt " + attempt + ")");
        if (outOfOrder) sb.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)).append(" (out of order)");
        print(sb.toAttributedString());
    }

    @Override
    public synchronized void output(OutputKind kind, String line) {
        if (kind == OutputKind.PROGRESS) {
            progress.show(new AttributedString("  " + ControlChars.escape(line), DIM));
            return;
        }
        AttributedStyle style = switch (kind) {
            case ERR -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            case WARN -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case INFO -> DIM;
            default -> AttributedStyle.DEFAULT;
        };
        String prefix = kind == OutputKind.WARN && !line.startsWith("warn") ? "  warning: " : "  ";
        print(new AttributedString(prefix + line, style));
    }

    /** Longest line shown on screen. */
    static final int MAX_LINE = 2000;

    @Override
    public synchronized void stepFinished(Step step, StepResult r) {
        result(r, step.label());
    }

    @Override
    public synchronized void evalFinished(String code, StepResult r) {
        result(r, null);
    }

    @Override
    public synchronized void note(String text, Instant at) {
        print(new AttributedString("  ✎ note: " + text, AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE)));
    }

    @Override
    public synchronized void event(String type, Map<String, Object> data, Instant at) {
        print(new AttributedString("  " + EventLine.of(type, data), DIM));
    }

    private void result(StepResult r, String label) {
        progress.settle();
        for (String line : r.lines()) print(new AttributedString("  " + line));
        if (!r.actions().isEmpty() && r.status() == StepStatus.OK && r.actions().stream().anyMatch(a -> a.startsWith("would run"))) {
            print(new AttributedString("  (dry run: " + r.actions().size() + " action(s) listed, nothing changed)", DIM));
        }
        if (label != null || r.status() != StepStatus.OK) {
            AttributedStringBuilder sb = new AttributedStringBuilder();
            sb.style(statusStyle(r.status())).append(symbol(r.status())).append(" ").append(r.status().word());
            sb.style(DIM).append(" " + Durations.format(r.duration()));
            if (r.error() != null) sb.style(statusStyle(r.status())).append("  ").append(r.error());
            print(sb.toAttributedString());
        }
        if (trace && r.trace() != null) {
            for (String line : r.trace().split("\n")) print(new AttributedString(line, DIM));
        }
    }

    public synchronized void info(String text) {
        print(new AttributedString(text));
    }

    public synchronized void warn(String text) {
        print(new AttributedString("warning: " + text, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
    }

    public synchronized void error(String text) {
        print(new AttributedString(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
    }

    public synchronized void lines(List<String> lines) {
        lines.forEach(l -> print(new AttributedString(l)));
    }

    public static AttributedStyle statusStyle(StepStatus s) {
        return switch (s) {
            case OK -> AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
            case FAILED -> AttributedStyle.BOLD.foreground(AttributedStyle.RED);
            case REFUSED, UNKNOWN -> AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
            case INTERRUPTED -> AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
            default -> DIM;
        };
    }

    public static String symbol(StepStatus s) {
        return switch (s) {
            case OK -> "✔";
            case FAILED -> "✘";
            case REFUSED -> "⊘";
            case INTERRUPTED -> "⏹";
            case SKIPPED -> "↷";
            case UNKNOWN -> "?";
            default -> "·";
        };
    }

    /**
     * Every text printed here holds words from blocks, steps, servers or the runbook (output, values,
     * errors, notes, event data): their control characters are made visible, while the styles we gave
     * the text stay, as they live beside the characters and become escapes only when rendered.
     */
    static AttributedString inert(AttributedString s) {
        String text = s.toString();
        if (ControlChars.escape(text) == text) return s;
        AttributedStringBuilder sb = new AttributedStringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.style(s.styleAt(i)).append(ControlChars.isControl(c) ? ControlChars.visible(c) : String.valueOf(c));
        }
        return sb.toAttributedString();
    }

    private String render(AttributedString s) {
        return colour ? s.toAnsi() : s.toString();
    }

    private void print(AttributedString s) {
        progress.settle();
        s = inert(s);
        if (s.length() > MAX_LINE) {
            // A megabyte on one line helps nobody on a terminal; the transcript keeps the whole text.
            s = new AttributedStringBuilder().append(s.subSequence(0, MAX_LINE))
                    .append(" … (" + (s.length() - MAX_LINE) + " more characters)", DIM).toAttributedString();
        }
        out.println(render(s));
        out.flush();
    }
}
