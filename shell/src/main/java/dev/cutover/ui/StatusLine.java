package dev.cutover.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Status;
import dev.cutover.engine.Notebook;
import dev.cutover.freeze.Freeze;
import dev.cutover.freeze.Freezes;
import dev.cutover.spi.Durations;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.Step;

/**
 * The bottom line of the screen while a runbook is open: step N of M, and the running step's
 * elapsed time, ticking. Terminals that cannot hold a status line (dumb ones) simply get none.
 */
final class StatusLine implements AutoCloseable {
    private final Notebook notebook;
    private final Status status;
    private final ScheduledExecutorService ticker;

    StatusLine(Terminal terminal, Notebook notebook) {
        this.notebook = notebook;
        this.status = Terminal.TYPE_DUMB.equals(terminal.getType()) ? null : Status.getStatus(terminal, true);
        this.ticker = status == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "status-line");
            t.setDaemon(true);
            return t;
        });
        if (ticker != null) ticker.scheduleAtFixedRate(this::refresh, 1, 1, TimeUnit.SECONDS);
    }

    void idle() {
        refresh();
    }

    void running() {
        refresh();
    }

    private void refresh() {
        if (status == null) return;
        try {
            status.update(List.of(new AttributedString(text(), AttributedStyle.INVERSE)));
        } catch (RuntimeException ignored) {
            // a status line must never break the shell
        }
    }

    String text() {
        Runbook rb = notebook.runbook();
        Step running = notebook.runningStep();
        Instant since = notebook.runningSince();
        StringBuilder sb = new StringBuilder(" ");
        if (rb != null) {
            long done = rb.steps().stream().filter(s -> notebook.state(s).status().done()).count();
            sb.append(rb.displayName()).append(" · ");
            if (running != null) {
                sb.append("step ").append(running.number()).append(" of ").append(rb.steps().size()).append(" (").append(running.id()).append(")");
            } else {
                sb.append(done).append(" of ").append(rb.steps().size()).append(" steps done");
                notebook.nextPending().ifPresent(n -> sb.append(" · next: ").append(n.number()).append(" ").append(n.id()));
            }
        } else {
            sb.append("no runbook (/open FILE)");
        }
        frozen(sb);
        if (since != null) sb.append(" · running ").append(Durations.format(Duration.between(since, Instant.now())));
        return sb.append(' ').toString();
    }

    /** Every freeze in effect, since when, and the line that undoes it here: nobody forgets an open window, or how to close it. */
    private void frozen(StringBuilder sb) {
        Freezes freezes = notebook.sessionState(Freezes.class, Freezes::new);
        List<Freeze> active = freezes.active();
        if (active.isEmpty()) return;
        freezes.frozenSince().ifPresent(t -> sb.append(" · WRITES FROZEN ").append(Durations.format(Duration.between(t, Instant.now()))));
        Map<String, Object> variables = notebook.variables();
        for (Freeze f : active) {
            sb.append(" · ").append(f.target()).append(" since ").append(Durations.timeOfDay(f.started()))
                    .append(": undo with ").append(freezes.undoCommand(f, variables));
        }
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
        if (status != null) {
            try {
                status.close();
            } catch (RuntimeException ignored) {
                // terminal already gone
            }
        }
    }
}
