package dev.cutover.spi;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Everything a command may touch of the session: where output goes (screen and transcript),
 * params, dry-run, confirmation, cancellation, and the log of actions for its result.
 */
public interface CommandContext {

    /** Writes a line of output of the given kind (also into the transcript). */
    void out(OutputKind kind, String line);

    default void out(String line) {
        out(OutputKind.OUT, line);
    }

    default void info(String line) {
        out(OutputKind.INFO, line);
    }

    default void warn(String line) {
        out(OutputKind.WARN, line);
    }

    /** A progress update (shown in place on a terminal; throttled in the transcript). */
    default void progress(String line) {
        out(OutputKind.PROGRESS, line);
    }

    Map<String, Object> params();

    boolean dryRun();

    /** Asks the operator; in batch, --yes answers yes and otherwise the step fails. Returns true for yes. */
    boolean confirm(String question);

    Cancellation cancellation();

    /**
     * Asks the operator for a secret (read without echo, never recorded); null when nobody can
     * answer (batch).
     */
    default String askSecret(String name, String question) {
        return null;
    }

    /** Records a value as secret: it is masked wherever it would be shown or recorded. */
    void addSecret(String secret);

    /** Records an action taken (for the step's result and transcript). */
    void action(String description);

    /**
     * Runs a mutating action, or in a dry run only records it as "would ...". Every change a command
     * makes goes through here, which is what makes {@code --dry-run} trustworthy.
     */
    <T> T mutate(String description, Callable<T> action) throws Exception;

    /** Records a structured event in the transcript (freeze state and the like). */
    void event(String type, Map<String, Object> data);

    /**
     * The context of whichever step is running when called: objects that outlive a step (a
     * {@code Server} kept in a variable) write through this, so their output lands in the step
     * that uses them.
     */
    default java.util.function.Supplier<CommandContext> live() {
        return () -> this;
    }

    /** Session-scoped state shared between commands (active freezes, open connections). */
    <T> T session(Class<T> type, java.util.function.Supplier<T> create);
}
