package dev.cutover.alias;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits one entry of a pgbouncer.ini [databases] section ({@code appdb = host=... port=... dbname=...}),
 * keeping its other settings and every other line as they were.
 */
public final class PgBouncerIni {
    private PgBouncerIni() {
    }

    /** The entry's settings, or null when the database has no entry. */
    public static Map<String, String> entry(String ini, String database) {
        String line = findLine(ini, database);
        return line == null ? null : parse(line.substring(line.indexOf('=') + 1));
    }

    /** The ini with the entry's host and port (and dbname, when given) replaced; added when absent. */
    public static String point(String ini, String database, String host, int port, String dbname) {
        String[] lines = ini.split("\n", -1);
        boolean inDatabases = false;
        int sectionLine = -1;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].trim();
            if (t.startsWith("[")) {
                inDatabases = t.equalsIgnoreCase("[databases]");
                if (inDatabases) sectionLine = i;
                continue;
            }
            if (inDatabases && isEntry(t, database)) {
                Map<String, String> kv = parse(t.substring(t.indexOf('=') + 1));
                kv.put("host", host);
                kv.put("port", String.valueOf(port));
                if (dbname != null) kv.put("dbname", dbname);
                String indent = lines[i].substring(0, lines[i].indexOf(lines[i].trim()));
                lines[i] = indent + database + " = " + format(kv);
                return String.join("\n", lines);
            }
        }
        if (sectionLine < 0) throw new IllegalArgumentException("no [databases] section");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) sb.append('\n');
            sb.append(lines[i]);
            if (i == sectionLine) {
                sb.append('\n').append(database).append(" = host=").append(host).append(" port=").append(port)
                        .append(" dbname=").append(dbname != null ? dbname : database);
            }
        }
        return sb.toString();
    }

    private static String findLine(String ini, String database) {
        boolean inDatabases = false;
        for (String line : ini.split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("[")) {
                inDatabases = t.equalsIgnoreCase("[databases]");
            } else if (inDatabases && isEntry(t, database)) {
                return t;
            }
        }
        return null;
    }

    private static boolean isEntry(String trimmed, String database) {
        if (trimmed.startsWith(";") || trimmed.startsWith("#")) return false;
        int eq = trimmed.indexOf('=');
        return eq > 0 && trimmed.substring(0, eq).trim().equals(database);
    }

    private static final Pattern KV = Pattern.compile("(\\w+)\\s*=\\s*('(?:[^']|'')*'|\\S+)");

    static Map<String, String> parse(String conn) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = KV.matcher(conn);
        while (x.find()) m.put(x.group(1), x.group(2));
        return m;
    }

    private static String format(Map<String, String> kv) {
        StringBuilder sb = new StringBuilder();
        kv.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}
