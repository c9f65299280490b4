package dev.cutover.engine;

import java.time.Instant;
import java.util.Map;
import dev.cutover.spi.OutputKind;
import dev.cutover.runbook.Step;

/**
 * Receives what happens in a notebook, already redacted: the terminal, the batch printer and the
 * transcript writer are listeners. Called on the thread that runs the step.
 */
public interface NotebookListener {

    default void stepStarted(Step step, int attempt, boolean outOfOrder, Instant at) {
    }

    default void output(OutputKind kind, String line) {
    }

    default void stepFinished(Step step, StepResult result) {
    }

    default void evalStarted(String code, Instant at) {
    }

    default void evalFinished(String code, StepResult result) {
    }

    default void note(String text, Instant at) {
    }

    /** Structured events from commands (freeze state, ...), recorded for resume. */
    default void event(String type, Map<String, Object> data, Instant at) {
    }
}
