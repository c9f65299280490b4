package dev.cutover.ops;

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

    /** psql quotes with single quotes in \connect ('my db'); also accepts a bare name. */
    private static String unquote(String s) {
        if (s.startsWith("'") && s.endsWith("'") && s.length() >= 2) return s.substring(1, s.length() - 1).replace("''", "'");
        return s;
    }
}
