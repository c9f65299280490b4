package dev.cutover.transcript;

import java.util.Map;

/** One recorded event: its type ("step-start", "step-end", "note", ...), its data and its line. */
public record TranscriptEvent(String type, Map<String, Object> data, int line) {

    public String string(String key) {
        Object v = data.get(key);
        return v == null ? null : String.valueOf(v);
    }

    public int integer(String key) {
        Object v = data.get(key);
        return v instanceof Number n ? n.intValue() : v == null ? 0 : Integer.parseInt(String.valueOf(v));
    }

    public long longValue(String key) {
        Object v = data.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
