package dev.cutover.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A {@link CommandContext} for unit tests of a command, without the engine: it keeps what the
 * command wrote, the actions it recorded (a dry run's "would run" lines among them) and its events,
 * and answers confirmations as told. Its dry-run rule is the engine's: {@link #mutate} only records.
 */
public final class FakeContext implements CommandContext {
    public final List<String> lines = new ArrayList<>();
    public final List<String> actions = new ArrayList<>();
    public final Map<String, Map<String, Object>> events = new LinkedHashMap<>();
    private final Map<Class<?>, Object> session = new HashMap<>();
    private final boolean dryRun;
    private boolean confirmAnswer;

    public FakeContext(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public FakeContext confirming(boolean answer) {
        this.confirmAnswer = answer;
        return this;
    }

    @Override
    public void out(OutputKind kind, String line) {
        lines.add(kind + " " + line);
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public boolean confirm(String question) {
        lines.add("CONFIRM " + question);
        return confirmAnswer;
    }

    @Override
    public Cancellation cancellation() {
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public AutoCloseable onCancel(Runnable hook) {
                return () -> { };
            }
        };
    }

    @Override
    public void addSecret(String secret) {
    }

    @Override
    public void action(String description) {
        actions.add(description);
    }

    @Override
    public <T> T mutate(String description, Callable<T> action) throws Exception {
        if (dryRun) {
            actions.add("would run: " + description);
            return null;
        }
        actions.add(description);
        return action.call();
    }

    @Override
    public void event(String type, Map<String, Object> data) {
        events.put(type, data);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T session(Class<T> type, Supplier<T> create) {
        return (T) session.computeIfAbsent(type, k -> create.get());
    }
}
