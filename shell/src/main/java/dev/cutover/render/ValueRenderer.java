package dev.cutover.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandResult;

/** Turns a step's value into plain lines: command results as summary + table, row lists as tables. */
public final class ValueRenderer {
    private ValueRenderer() {
    }

    @SuppressWarnings("unchecked")
    public static List<String> lines(Object value) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        if (value instanceof CommandResult r) {
            out.add(r.summary());
            if (!r.rows().isEmpty()) out.addAll(TextTable.render(r.rows()));
            return out;
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(e -> e instanceof Map)) {
            return TextTable.render((List<Map<String, ?>>) (List<?>) list);
        }
        if (value instanceof List<?> list && list.isEmpty()) {
            out.add("[] (empty)");
            return out;
        }
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            int w = map.keySet().stream().mapToInt(k -> String.valueOf(k).length()).max().orElse(0);
            map.forEach((k, v) -> out.add(String.format("%-" + w + "s : %s", k, v)));
            return out;
        }
        for (String line : String.valueOf(value).split("\n", -1)) out.add(line);
        return out;
    }
}
