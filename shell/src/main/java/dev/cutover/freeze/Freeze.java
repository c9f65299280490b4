package dev.cutover.freeze;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandResult;
import dev.cutover.pg.ConnInfo;
import dev.cutover.spi.Durations;

/**
 * A write freeze in force: what it changed, and how to undo exactly that. Its {@link #state()} is
 * recorded in the transcript, so a resumed run can still unfreeze after a crash.
 */
public abstract class Freeze implements CommandResult {
    private final String id;
    private final Instant started;
    private final List<String> changes;
    private volatile Instant ended;
    private volatile String endedWithoutUndo;

    protected Freeze(String id, Instant started, List<String> changes) {
        this.id = id;
        this.started = started;
        this.changes = List.copyOf(changes);
    }

    public String id() {
        return id;
    }

    public abstract String kind();

    /** What is frozen: "pgbouncer 127.0.0.1:6432 appdb", "old read-only". */
    public abstract String target();

    /** Serializable description, enough to undo after a resume. */
    public abstract Map<String, Object> state();

    /** Undoes exactly what the freeze changed. */
    protected abstract void undo(CommandContext ctx) throws Exception;

    /** The server whose own settings this freeze changed (read-only, no-connections); empty for PgBouncer and app commands. */
    public Optional<ConnInfo> server() {
        return Optional.empty();
    }

    /**
     * Asks, live, whether the freeze still holds: a reason when it does not (PgBouncer restarted or resumed by hand,
     * the setting changed back, a database opened again), empty when it does or when this kind cannot tell.
     */
    public Optional<String> notInForce() {
        return Optional.empty();
    }

    /** The same undo as a command an operator can type outside cutover (psql, or the undo commands per host). */
    public abstract String undoByHand();

    /** "still frozen: old read-only (127.0.0.1:5413) since 12:00:01Z (4.2s)". */
    public String stillFrozen() {
        return "still frozen: " + target() + " since " + Durations.timeOfDay(started) + " (" + Durations.format(frozenFor()) + ")";
    }

    public Instant started() {
        return started;
    }

    public boolean active() {
        return ended == null;
    }

    public Duration frozenFor() {
        return Duration.between(started, ended == null ? Instant.now() : ended);
    }

    void markEnded(Instant at) {
        ended = at;
    }

    /** Why ending this freeze undid nothing (its server was stopped), or null when it was undone. */
    public String endedWithoutUndo() {
        return endedWithoutUndo;
    }

    void markEndedWithoutUndo(Instant at, String why) {
        endedWithoutUndo = why;
        ended = at;
    }

    @Override
    public List<String> actions() {
        return changes;
    }

    @Override
    public String summary() {
        return "frozen: " + target() + " (" + kind() + ", id " + id + "); unfreeze with unfreeze(" + "f" + ") or unfreeze()";
    }

    @Override
    public String toString() {
        return "Freeze " + id + " " + kind() + " " + target() + (active() ? " (active)" : " (undone)");
    }
}
