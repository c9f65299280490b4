package dev.cutover.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.cutover.runbook.Step;
import dev.cutover.spi.OutputKind;

/** Every listener of a notebook as one: each call reaches all of them, in the order they were added. */
final class Listeners implements NotebookListener {
    private final List<NotebookListener> all = new CopyOnWriteArrayList<>();

    void add(NotebookListener l) {
        all.add(l);
    }

    void remove(NotebookListener l) {
        all.remove(l);
    }

    @Override
    public void stepStarted(Step step, int attempt, boolean outOfOrder, Instant at) {
        for (NotebookListener l : all) l.stepStarted(step, attempt, outOfOrder, at);
    }

    @Override
    public void output(OutputKind kind, String line) {
        for (NotebookListener l : all) l.output(kind, line);
    }

    @Override
    public void stepFinished(Step step, StepResult result) {
        for (NotebookListener l : all) l.stepFinished(step, result);
    }

    @Override
    public void evalStarted(String code, Instant at) {
        for (NotebookListener l : all) l.evalStarted(code, at);
    }

    @Override
    public void evalFinished(String code, StepResult result) {
        for (NotebookListener l : all) l.evalFinished(code, result);
    }

    @Override
    public void note(String text, Instant at) {
        for (NotebookListener l : all) l.note(text, at);
    }

    @Override
    public void event(String type, Map<String, Object> data, Instant at) {
        for (NotebookListener l : all) l.event(type, data, at);
    }
}
