package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.List;

/**
 * pg_upgrade's {@code update_extensions.sql}: a psql script of {@code \connect db} lines, each
 * followed by {@code ALTER EXTENSION ... UPDATE;} statements. Split per database so cutover can run
 * it over its own connections instead of needing psql and a password on the host.
 */
public final class ExtensionUpdateScript {
    public record PerDatabase(String database, List<String> statements) {
    }

    private ExtensionUpdateScript() {
    }

    public static List<PerDatabase> parse(String script) {
        List<PerDatabase> out = new ArrayList<>();
        String db = null;
        List<String> statements = new ArrayList<>();
        for (String raw : script.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("\\connect ")) {
                if (db != null && !statements.isEmpty()) out.add(new PerDatabase(db, List.copyOf(statements)));
                db = unquote(line.substring("\\connect ".length()).strip());
                statements.clear();
            } else if (!line.isEmpty() && !line.startsWith("--") && !line.startsWith("\\")) {
                statements.add(line.endsWith(";") ? line.substring(0, line.length() - 1) : line);
            }
        }
        if (db != null && !statements.isEmpty()) out.add(new PerDatabase(db, List.copyOf(statements)));
        return out;
    }

    /**
     * The database of a {@code \connect} line as pg_upgrade writes it (appendPsqlMetaConnect): a plain
     * name, an identifier in double quotes ({@code "Foo"}), or, for any other character, a connection
     * string in double quotes ({@code -reuse-previous=on "dbname='a b'"}, libpq quoting inside); older
     * scripts used single quotes ({@code 'my db'}).
     */
    static String unquote(String s) {
        if (s.startsWith("-reuse-previous=on ")) s = s.substring("-reuse-previous=on ".length()).strip();
        if (s.startsWith("'") && s.endsWith("'") && s.length() >= 2) return s.substring(1, s.length() - 1).replace("''", "'");
        if (!(s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2)) return s;
        String inner = s.substring(1, s.length() - 1).replace("\"\"", "\"");
        if (!inner.startsWith("dbname=")) return inner;
        String value = inner.substring("dbname=".length());
        if (!value.startsWith("'")) return value;
        StringBuilder db = new StringBuilder();
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                db.append(value.charAt(++i));
            } else if (c == '\'') {
                break;
            } else {
                db.append(c);
            }
        }
        return db.toString();
    }
}
