package dev.cutover.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import dev.cutover.spi.Cancellation;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.OutputKind;

/** The {@link CommandContext} of one execution: routes everything through the notebook. */
final class StepContext implements CommandContext {
    private final Notebook notebook;
    private final Execution execution;
    private final List<String> actions = Collections.synchronizedList(new ArrayList<>());

    StepContext(Notebook notebook, Execution execution) {
        this.notebook = notebook;
        this.execution = execution;
    }

    @Override
    public void out(OutputKind kind, String line) {
        notebook.emit(kind, line);
    }

    @Override
    public Map<String, Object> params() {
        return notebook.params();
    }

    @Override
    public boolean dryRun() {
        return notebook.dryRun();
    }

    @Override
    public boolean confirm(String question) {
        boolean[] answer = {false};
        StdStreamCapture.passThrough(() -> answer[0] = notebook.prompter().confirm(notebook.redactor().redact(question)));
        return answer[0];
    }

    @Override
    public String askSecret(String name, String question) {
        String[] answer = {null};
        StdStreamCapture.passThrough(() -> answer[0] = notebook.prompter().ask(name, question, true));
        return answer[0];
    }

    @Override
    public Cancellation cancellation() {
        return execution;
    }

    @Override
    public void addSecret(String secret) {
        notebook.redactor().add(secret);
    }

    @Override
    public void action(String description) {
        actions.add(notebook.redactor().redact(description));
    }

    @Override
    public <T> T mutate(String description, Callable<T> action) throws Exception {
        if (dryRun()) {
            String d = "would run: " + notebook.redactor().redact(description);
            actions.add(d);
            out(OutputKind.INFO, d);
            return null;
        }
        action(description);
        return action.call();
    }

    @Override
    public void event(String type, Map<String, Object> data) {
        notebook.commandEvent(type, data, Instant.now());
    }

    @Override
    public <T> T session(Class<T> type, Supplier<T> create) {
        return notebook.sessionState(type, create);
    }

    @Override
    public java.util.function.Supplier<CommandContext> live() {
        return notebook::liveContext;
    }

    List<String> actions() {
        return List.copyOf(actions);
    }
}
