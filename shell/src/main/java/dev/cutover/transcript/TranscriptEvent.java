package dev.cutover.transcript;

import java.util.Map;

/** One event as read from a transcript: the typed {@link Event}, its raw type and data, and its line. */
public record TranscriptEvent(String type, Map<String, Object> data, int line, Event event) {

    public String string(String key) {
        Object v = data.get(key);
        return v == null ? null : String.valueOf(v);
    }

    public int integer(String key) {
        Object v = data.get(key);
        return v instanceof Number n ? n.intValue() : v == null ? 0 : Integer.parseInt(String.valueOf(v));
    }

}
