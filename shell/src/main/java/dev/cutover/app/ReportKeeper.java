package dev.cutover.app;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.engine.NotebookListener;
import dev.cutover.engine.StepResult;
import dev.cutover.runbook.Step;

/**
 * Keeps the {@code --report} file true while the run goes on, so it is valid JSON however the run
 * ends: written when the run starts, when a step starts or ends and when a freeze begins or ends
 * (a {@code kill -9} leaves the last of those), at the end, on Ctrl-C between steps, and from a
 * shutdown hook when the JVM is stopped (SIGTERM) before the run could finish it.
 */
final class ReportKeeper implements NotebookListener {
    /** What the shutdown hook records: the JVM is going down under a running step (SIGTERM, SIGHUP). */
    static final int TERMINATED = 143;

    private final RunReport report;
    private final ReportFile file;
    private final java.util.function.Consumer<String> warn;
    private final Thread hook = new Thread(this::terminated, "cutover-report");
    private boolean finished;
    private boolean warned;

    ReportKeeper(RunReport report, ReportFile file, java.util.function.Consumer<String> warn) {
        this.report = report;
        this.file = file;
        this.warn = warn;
    }

    /** The first write, before the first step, and the hook that covers a stopped JVM. */
    void start() {
        write("running", null, null);
        ExitStatus.awaits(hook);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void stepStarted(Step step, int attempt, boolean outOfOrder, Instant at) {
        report.stepStarted(step, attempt, outOfOrder, at);
        write("running", null, null);
    }

    @Override
    public void stepFinished(Step step, StepResult result) {
        report.stepFinished(step, result);
        write("running", null, null);
    }

    @Override
    public void event(String type, Map<String, Object> data, Instant at) {
        report.event(type, data, at);
        if (type.equals(RecordedEvent.FREEZE) || type.equals(RecordedEvent.UNFREEZE)) write("running", null, null);
    }

    /** A confirm step batch mode did not run: recorded by the final write. */
    void refused(Step step, String reason) {
        report.refused(step, reason);
    }

    /** The last write; later calls (the hook at exit) change nothing. */
    synchronized void finish(String outcome, int exitCode, String reason) {
        if (finished) return;
        finished = true;
        if (!write(outcome, exitCode, reason)) {
            System.err.println("cutover: could not write the report " + file.path() + " (see the warning above); the transcript has the record");
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            ExitStatus.forget(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself, or while the JVM exits: nothing left to remove
        }
    }

    /** Ctrl-C with no step running: the JVM exits 130 right after this. */
    void interrupted() {
        finish("interrupted", BatchRun.INTERRUPTED, "interrupted (Ctrl-C) between steps");
    }

    private void terminated() {
        finish("terminated", TERMINATED, "the process was stopped (SIGTERM or another signal) while the run went on");
    }

    private synchronized boolean write(String outcome, Integer exitCode, String reason) {
        if (finished && exitCode == null) return true;
        try {
            file.write(report.snapshot(outcome, exitCode, reason, Instant.now()), exitCode != null);
            return true;
        } catch (IOException | RuntimeException e) {
            if (!warned) warn.accept("cannot write the report " + file.path() + ": " + e.getMessage() + " (the run goes on)");
            warned = true;
            return false;
        }
    }
}
