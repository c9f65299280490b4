package dev.cutover.render;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A recorded event as one short line for people ({@code freeze: id=freeze-1, kind=pgbouncer, ...}):
 * a map or list value shows its size, a long value its start, and the line stops at {@value #MAX}
 * characters. The event itself (every field, for resume and the report) is kept whole elsewhere:
 * a snapshot of 100 000 tables must not become a 3 MB line on the screen or in the transcript.
 */
public final class EventLine {
    public static final int MAX = 240;
    private static final int MAX_VALUE = 60;

    private EventLine() {
    }

    public static String of(String type, Map<String, Object> data) {
        return type + ": " + fields(data, MAX - type.length() - 2);
    }

    /** The fields alone ({@code id=freeze-1, kind=pgbouncer}), at most {@code max} characters. */
    public static String fields(Map<String, Object> data, int max) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : data.entrySet()) parts.add(e.getKey() + "=" + value(e.getValue()));
        String line = String.join(", ", parts);
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
    }

    private static String value(Object v) {
        if (v instanceof Map<?, ?> m) return "{" + m.size() + (m.size() == 1 ? " entry}" : " entries}");
        if (v instanceof Collection<?> c) return "[" + c.size() + (c.size() == 1 ? " item]" : " items]");
        String s = String.valueOf(v);
        return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE - 1) + "…";
    }
}
