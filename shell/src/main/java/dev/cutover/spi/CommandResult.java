package dev.cutover.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a command returns: a one-line summary, optionally rows for a table, the actions it took
 * (SQL run, remote commands) and how long it took. Rendering happens at the edge.
 */
public interface CommandResult {

    String summary();

    /** Rows for an aligned table, or an empty list. */
    default List<Map<String, Object>> rows() {
        return List.of();
    }

    /** What the command did (or, in a dry run, would do), in order. */
    default List<String> actions() {
        return List.of();
    }

    default Duration elapsed() {
        return Duration.ZERO;
    }
}
