package dev.cutover.spi;

import java.time.Instant;
import java.util.Map;

/**
 * What a command recorded with {@link CommandContext#event} ({@code freeze}, {@code unfreeze},
 * {@code snapshot}), as a later session reads it back from the transcript: the type, when, and the
 * data the command gave. The types commands record are named here, once, because the command that
 * writes them and the edge that renders them (timeline, JSON report) must agree.
 */
public record RecordedEvent(String type, Instant at, Map<String, Object> data) {
    /** A freeze came into force: data has id, kind, started and what undoes it. */
    public static final String FREEZE = "freeze";
    /** A freeze ended: data has id, kind and frozenMs. */
    public static final String UNFREEZE = "unfreeze";
    /** A snapshot was taken: data is the snapshot. */
    public static final String SNAPSHOT = "snapshot";
    /** The operator's annotation from inside a step. */
    public static final String NOTE = "note";

    public RecordedEvent {
        data = data == null ? Map.of() : data;
    }

    public String string(String key) {
        Object v = data.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
