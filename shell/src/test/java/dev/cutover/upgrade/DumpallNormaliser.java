package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own normalisation of two {@code pg_dumpall} outputs before comparing them across an
 * upgrade: the old cluster dumped before, the new one after, both by the NEW version's pg_dumpall
 * (src/bin/pg_upgrade/t/002_pg_upgrade.pl with PostgreSQL::Test::AdjustUpgrade's
 * {@code adjust_old_dumpfile} / {@code adjust_new_dumpfile}, test.sh before them). On top of that,
 * two things a comparison across a real upgrade must tolerate and nothing else:
 * <ul>
 * <li>server-side view and rule text ({@code pg_get_viewdef}/{@code pg_get_ruledef}: the new server
 * deparses the same query differently): each CREATE [OR REPLACE] [MATERIALIZED] VIEW and CREATE RULE
 * statement keeps its first line, its body is set aside in {@link Normalised#views()} so a caller can
 * name the ones whose text differs;</li>
 * <li>the column order of inheritance children: a dump and restore re-creates them with the parent's
 * columns first (pg_upgrade keeps attnums). The column lines of each CREATE TABLE ... INHERITS are put
 * in name order, their order as dumped set aside in {@link Normalised#columnOrders()}; each COPY's
 * columns, and every row's fields with them, are put in column-name order.</li>
 * </ul>
 * The psql {@code \restrict} key pg_dump draws at random for each database (from 17.6, 16.10, 15.14,
 * ...) is set to one value.
 * Pure text in, text out; no server.
 */
final class DumpallNormaliser {
    private DumpallNormaliser() {
    }

    /**
     * A normalised dump: the text to compare; each view's or rule's body by its first line; each
     * inheritance child's column lines in the order dumped, by its CREATE TABLE line.
     */
    record Normalised(String text, Map<String, String> views, Map<String, String> columnOrders) {
        /** The first lines of the views and rules whose body differs from (or is missing in) {@code other}. */
        List<String> viewsDifferingFrom(Normalised other) {
            return differing(views, other.views);
        }

        /** The CREATE TABLE lines of the inheritance children whose columns are in another order in {@code other}. */
        List<String> columnOrdersDifferingFrom(Normalised other) {
            return differing(columnOrders, other.columnOrders);
        }

        private static List<String> differing(Map<String, String> mine, Map<String, String> theirs) {
            List<String> differ = new ArrayList<>();
            mine.forEach((head, body) -> {
                if (!body.equals(theirs.get(head))) differ.add(head);
            });
            theirs.keySet().forEach(head -> {
                if (!mine.containsKey(head)) differ.add(head);
            });
            return differ;
        }
    }

    /** The old cluster's dump (taken by the new version's pg_dumpall before the upgrade). */
    static Normalised old(int oldMajor, String dump) {
        String d = common(dump);
        if (oldMajor < 14) {
            // Extended hash support functions (PG 14 dumps them from pg_amproc differently): AdjustUpgrade.
            d = replace(d, "(?m)^(\\s+OPERATOR\\s1\\s=\\(integer,integer\\))\\s,\\n"
                    + "\\s+FUNCTION\\s2\\s\\(integer,\\sinteger\\)\\spublic\\.part_hashint4_noop\\(integer,bigint\\);", "$1;");
            d = replace(d, "(?m)^(\\s+OPERATOR\\s1\\s=\\(text,text\\))\\s,\\n"
                    + "\\s+FUNCTION\\s2\\s\\(text,\\stext\\)\\spublic\\.part_hashtext_length\\(text,bigint\\);", "$1;");
        }
        return finish(d);
    }

    /** The new cluster's dump (taken by its own pg_dumpall after the upgrade). */
    static Normalised neu(int oldMajor, String dump) {
        String d = common(dump);
        if (oldMajor < 14) {
            // Noise-word IN in CREATE/ALTER PROCEDURE (pg_get_function_arguments of 14+ prints it).
            for (String verb : List.of("CREATE", "ALTER")) {
                d = replaceAll(d, "(?m)^(" + verb + " PROCEDURE .*?)\\(IN ", "$1(");
                d = replaceAll(d, "(?m)^(" + verb + " PROCEDURE .*?), IN ", "$1, ");
            }
            // Array subscripting (typsubscript) and multiranges exist from 14 on.
            d = replace(d, "(?m)^\\s+SUBSCRIPT = raw_array_subscript_handler,\\n", "");
            d = replace(d, "(?m),\\n\\s+multirange_type_name = .*?(,?)$", "$1");
            d = replace(d, "(?m)^ALTER\\sOPERATOR\\sFAMILY\\spublic\\.part_test_int4_ops\\sUSING\\shash\\sADD\\n"
                    + "\\s+FUNCTION\\s2\\s\\(integer,\\sinteger\\)\\spublic\\.part_hashint4_noop\\(integer,bigint\\);", "");
            d = replace(d, "(?m)^ALTER\\sOPERATOR\\sFAMILY\\spublic\\.part_test_text_ops\\sUSING\\shash\\sADD\\n"
                    + "\\s+FUNCTION\\s2\\s\\(text,\\stext\\)\\spublic\\.part_hashtext_length\\(text,bigint\\);", "");
        }
        if (oldMajor < 12) d = replace(d, "(?m)^SET default_table_access_method = heap;\\n", "");
        return finish(d);
    }

    private static String common(String dump) {
        String d = dump.replace("\r\n", "\n");
        // The server's version will certainly not match (pg_dump's own version line does: one pg_dumpall).
        d = replace(d, "(?m)^-- Dumped from database version.*\\n", "");
        return replace(d, "(?m)^\\\\(un)?restrict \\S+$", "\\\\$1restrict KEY");
    }

    private static Normalised finish(String d) {
        Map<String, String> views = new LinkedHashMap<>();
        Map<String, String> columnOrders = new LinkedHashMap<>();
        String text = sortCopyColumns(sortInheritedColumns(setAsideViews(d, views), columnOrders));
        // Blank lines: pg_dump emits more or fewer in places (AdjustUpgrade squeezes them all).
        return new Normalised(text.replaceAll("\\n\\n+", "\n"), views, columnOrders);
    }

    private static final Pattern VIEW_OR_RULE = Pattern.compile("^CREATE (?:OR REPLACE )?(?:MATERIALIZED )?VIEW \\S+|^CREATE RULE \\S+ AS");

    /**
     * Each view or rule statement (its first line up to a line ending in ';' before a blank line, as
     * pg_dump writes one TOC entry) becomes its first line and a marker; the body goes into {@code views}.
     */
    static String setAsideViews(String dump, Map<String, String> views) {
        String[] lines = dump.split("\n", -1);
        StringBuilder out = new StringBuilder(dump.length());
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m = VIEW_OR_RULE.matcher(line);
            if (!m.find()) {
                out.append(line);
                if (i < lines.length - 1) out.append('\n');
                continue;
            }
            int end = i;
            while (end < lines.length - 1 && !(lines[end].endsWith(";") && lines[end + 1].isEmpty())) end++;
            StringBuilder body = new StringBuilder();
            for (int j = i; j <= end; j++) body.append(lines[j]).append('\n');
            String head = headOf(m.group(), views);
            views.put(head, body.toString());
            out.append(head).append(" ... (server-side view/rule text, compared separately);");
            if (end < lines.length - 1) out.append('\n');
            i = end;
        }
        return out.toString();
    }

    /** The statement's name, unique within one dump (the same view can be in several databases). */
    private static String headOf(String head, Map<String, String> views) {
        if (!views.containsKey(head)) return head;
        for (int n = 2;; n++) {
            String h = head + " #" + n;
            if (!views.containsKey(h)) return h;
        }
    }

    /**
     * The lines between {@code CREATE TABLE name (} and {@code )} of a table followed by {@code INHERITS},
     * in name order (a trailing comma on every line but the last); the order as dumped goes into {@code orders}.
     */
    static String sortInheritedColumns(String dump, Map<String, String> orders) {
        String[] lines = dump.split("\n", -1);
        StringBuilder out = new StringBuilder(dump.length());
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int close = i + 1;
            if (line.startsWith("CREATE TABLE ") && line.endsWith(" (")) {
                while (close < lines.length && !lines[close].startsWith(")")) close++;
            }
            if (close >= lines.length || close == i + 1 || !(lines[close].startsWith(") INHERITS (")
                    || lines[close].equals(")") && close + 1 < lines.length && lines[close + 1].startsWith("INHERITS ("))) {
                out.append(line);
                if (i < lines.length - 1) out.append('\n');
                continue;
            }
            List<String> columns = new ArrayList<>();
            for (int j = i + 1; j < close; j++) columns.add(lines[j].endsWith(",") ? lines[j].substring(0, lines[j].length() - 1) : lines[j]);
            orders.put(line, String.join("\n", columns));
            List<String> sorted = new ArrayList<>(columns);
            java.util.Collections.sort(sorted);
            out.append(line).append('\n');
            for (int k = 0; k < sorted.size(); k++) out.append(sorted.get(k)).append(k < sorted.size() - 1 ? "," : "").append('\n');
            i = close - 1;
        }
        return out.toString();
    }

    private static final Pattern COPY = Pattern.compile("^COPY (.+) \\((.+)\\) FROM stdin;$");

    /** Each COPY block's columns, and its rows' fields with them, in column-name order. */
    static String sortCopyColumns(String dump) {
        String[] lines = dump.split("\n", -1);
        StringBuilder out = new StringBuilder(dump.length());
        int[] order = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (order != null) {
                if (line.equals("\\.")) {
                    order = null;
                } else {
                    String[] fields = line.split("\t", -1);
                    if (fields.length == order.length) {
                        String[] sorted = new String[fields.length];
                        for (int k = 0; k < order.length; k++) sorted[k] = fields[order[k]];
                        line = String.join("\t", sorted);
                    }
                }
            } else {
                Matcher m = COPY.matcher(line);
                if (m.matches()) {
                    List<String> columns = identifiers(m.group(2));
                    Integer[] idx = new Integer[columns.size()];
                    for (int k = 0; k < idx.length; k++) idx[k] = k;
                    java.util.Arrays.sort(idx, (a, b) -> columns.get(a).compareTo(columns.get(b)));
                    order = new int[idx.length];
                    List<String> names = new ArrayList<>();
                    for (int k = 0; k < idx.length; k++) {
                        order[k] = idx[k];
                        names.add(columns.get(idx[k]));
                    }
                    line = "COPY " + m.group(1) + " (" + String.join(", ", names) + ") FROM stdin;";
                }
            }
            out.append(line);
            if (i < lines.length - 1) out.append('\n');
        }
        return out.toString();
    }

    /** A column list as pg_dump writes it: identifiers separated by ", ", quoted ones with "" inside. */
    static List<String> identifiers(String list) {
        List<String> ids = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') quoted = !quoted;
            if (!quoted && c == ',') {
                ids.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        ids.add(cur.toString().trim());
        return ids;
    }

    private static String replace(String s, String regex, String replacement) {
        return Pattern.compile(regex).matcher(s).replaceAll(replacement);
    }

    /** Like {@link #replace}, repeated until nothing changes (a line with several matches). */
    private static String replaceAll(String s, String regex, String replacement) {
        for (;;) {
            String r = replace(s, regex, replacement);
            if (r.equals(s)) return r;
            s = r;
        }
    }
}
