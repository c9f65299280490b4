package dev.cutover.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.cutover.app.Builtins;
import dev.cutover.spi.OutputKind;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.NotebookListener;
import dev.cutover.engine.Prompter;
import dev.cutover.engine.StepResult;

/** An in-process notebook with the real built-ins, capturing what a step shows. */
public final class Shell implements AutoCloseable {
    public final Notebook notebook = new Notebook(Builtins.registry(), Prompter.batch(true));
    private final List<String> lines = new ArrayList<>();

    public Shell(Map<String, String> params) {
        notebook.setParams(params, Set.of());
        notebook.addListener(new NotebookListener() {
            @Override
            public void output(OutputKind kind, String line) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        });
    }

    /** Evaluates Groovy; fails the test with the step's error line when it did not succeed. */
    public Object eval(String code) {
        StepResult r = notebook.eval(code);
        if (!r.ok()) throw new AssertionError("step failed: " + r.error() + "\noutput:\n" + String.join("\n", output()));
        return r.value();
    }

    /** Evaluates Groovy that is expected to fail; returns its one-line error. */
    public String error(String code) {
        StepResult r = notebook.eval(code);
        if (r.ok()) throw new AssertionError("expected a failure, got " + r.value());
        return r.error();
    }

    public List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String outputText() {
        return String.join("\n", output());
    }

    public void clear() {
        synchronized (lines) {
            lines.clear();
        }
    }

    @Override
    public void close() {
        notebook.close();
    }
}
