package dev.cutover.render;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Aligned plain-text tables, psql style: numbers right-aligned, NULL shown empty. */
public final class TextTable {
    public static final int MAX_ROWS = 200;
    private static final int MAX_CELL = 80;

    private TextTable() {
    }

    public static List<String> render(List<? extends Map<String, ?>> rows) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        List<String> cols = new ArrayList<>(columns);
        int shown = Math.min(rows.size(), MAX_ROWS);
        int[] width = new int[cols.size()];
        boolean[] numeric = new boolean[cols.size()];
        java.util.Arrays.fill(numeric, true);
        String[][] cells = new String[shown][cols.size()];
        for (int c = 0; c < cols.size(); c++) width[c] = cols.get(c).length();
        for (int r = 0; r < shown; r++) {
            for (int c = 0; c < cols.size(); c++) {
                Object v = rows.get(r).get(cols.get(c));
                if (v != null && !(v instanceof Number)) numeric[c] = false;
                String s = cell(v);
                cells[r][c] = s;
                width[c] = Math.max(width[c], s.length());
            }
        }
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < cols.size(); c++) {
            if (c > 0) {
                head.append(" | ");
                rule.append("-+-");
            }
            head.append(pad(cols.get(c), width[c], false));
            rule.append("-".repeat(width[c]));
        }
        out.add(head.toString().stripTrailing());
        out.add(rule.toString());
        for (int r = 0; r < shown; r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols.size(); c++) {
                if (c > 0) line.append(" | ");
                line.append(pad(cells[r][c], width[c], numeric[c]));
            }
            out.add(line.toString().stripTrailing());
        }
        if (rows.size() > shown) out.add("… " + (rows.size() - shown) + " more rows");
        out.add("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        return out;
    }

    private static String cell(Object v) {
        if (v == null) return "";
        String s = String.valueOf(v).replace("\r", "").replace("\n", "⏎");
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
