package dev.cutover.pg;

/**
 * The "database:object" keys of snapshots and reports ({@code appdb:public.orders}). The object part
 * is already an SQL-quoted name; the database part is written as is unless it holds a colon or starts
 * with a double quote, then it is double-quoted like an identifier ({@code "app:eu":public.orders}), so
 * that every key names exactly one database whatever its characters.
 */
public final class DbKey {
    private DbKey() {
    }

    public static String of(String database, String object) {
        return quote(database) + ":" + object;
    }

    /** The database part as written in keys: the name itself, or double-quoted when it has a colon or starts with a quote. */
    public static String quote(String database) {
        if (database.indexOf(':') < 0 && !database.startsWith("\"") && !database.isEmpty()) return database;
        return "\"" + database.replace("\"", "\"\"") + "\"";
    }

    public static String database(String key) {
        return split(key)[0];
    }

    public static String object(String key) {
        return split(key)[1];
    }

    private static String[] split(String key) {
        if (key.startsWith("\"")) {
            StringBuilder db = new StringBuilder();
            for (int i = 1; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c != '"') {
                    db.append(c);
                } else if (i + 1 < key.length() && key.charAt(i + 1) == '"') {
                    db.append('"');
                    i++;
                } else {
                    if (i + 1 >= key.length() || key.charAt(i + 1) != ':') break;
                    return new String[] {db.toString(), key.substring(i + 2)};
                }
            }
            throw new IllegalArgumentException("not a database:object key: " + key);
        }
        int colon = key.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("not a database:object key: " + key);
        return new String[] {key.substring(0, colon), key.substring(colon + 1)};
    }
}
