package dev.cutover.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether SQL text only reads, for {@code --dry-run}. Deliberately conservative: anything it
 * cannot prove to be a plain read (a statement that is not SELECT/SHOW/EXPLAIN/VALUES/TABLE, a
 * data-modifying CTE, SELECT INTO, a locking clause, a function known to change state) counts as a
 * change and is listed as "would run" instead of sent. The session is read-only as well
 * ({@code default_transaction_read_only}), so what slips past the words still cannot write.
 */
public final class ReadOnlySql {
    private static final Set<String> READING = Set.of("select", "show", "explain", "values", "table", "with");
    private static final Pattern WRITE_WORDS = Pattern.compile(
            "\\b(insert|update|delete|merge|into|truncate)\\b");
    private static final Pattern LOCKING = Pattern.compile("\\bfor\\s+(update|share|no\\s+key\\s+update|key\\s+share)\\b");
    private static final Pattern CALL = Pattern.compile("([a-z_][a-z0-9_$]*)\\s*\\(");
    /** Functions that change state although they can be called from a SELECT. */
    private static final Pattern STATEFUL_FUNCTION = Pattern.compile(
            "^(nextval|setval|set_config|pg_reload_conf|pg_terminate_backend|pg_cancel_backend|pg_switch_wal|pg_switch_xlog"
            + "|pg_create_.*|pg_drop_replication_slot|pg_copy_.*_slot|pg_replication_slot_advance|pg_promote|pg_rotate_logfile.*"
            + "|pg_start_backup|pg_stop_backup|pg_backup_start|pg_backup_stop|pg_wal_replay_.*|pg_xlog_replay_.*|pg_stat_reset.*"
            + "|pg_advisory_.*|pg_try_advisory_.*|pg_logical_emit_message|pg_logical_slot_get_.*|pg_replication_origin_.*"
            + "|pg_notify|pg_file_.*|pg_import_system_collations|pg_log_backend_memory_contexts|pg_nextoid"
            + "|lo_(?:create|creat|import|export|unlink|put|from_bytea|truncate|truncate64|open|close|lseek.*)|lowrite|dblink.*|txid_current|pg_current_xact_id|pg_export_snapshot)$");

    private ReadOnlySql() {
    }

    /** Empty when every statement in {@code sql} only reads; otherwise why it may change something. */
    public static Optional<String> whyNotReadOnly(String sql) {
        List<String> statements = statements(sql);
        if (statements.isEmpty()) return Optional.of("no statement");
        for (String s : statements) {
            String lower = s.toLowerCase(Locale.ROOT);
            String first = lower.split("[^a-z_]", 2)[0];
            if (!READING.contains(first)) return Optional.of(first.isEmpty() ? "not a query" : first.toUpperCase(Locale.ROOT) + " changes the server");
            if (first.equals("explain") && lower.matches("(?s)explain\\s*\\(.*\\banalyze\\b.*|explain\\s+analy[sz]e\\b.*")) {
                return Optional.of("EXPLAIN ANALYZE runs the statement");
            }
            Matcher w = WRITE_WORDS.matcher(lower);
            if (w.find()) return Optional.of("'" + w.group(1) + "' may change the server");
            if (LOCKING.matcher(lower).find()) return Optional.of("a locking clause takes row locks");
            if (lower.contains("\"x\"(")) return Optional.of("a function called by a quoted name");
            Matcher c = CALL.matcher(lower);
            while (c.find()) {
                if (STATEFUL_FUNCTION.matcher(c.group(1)).matches()) return Optional.of(c.group(1) + "() changes state");
            }
        }
        return Optional.empty();
    }

    /**
     * The statements of {@code sql} with comments removed and every literal (strings, dollar-quoted
     * bodies, quoted identifiers) blanked to {@code ''}, so words inside them count for nothing.
     */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') i++;
                cur.append(' ');
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (sql.startsWith("/*", i)) { depth++; i += 2; } else if (sql.startsWith("*/", i)) { depth--; i += 2; } else i++;
                }
                cur.append(' ');
            } else if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
                cur.append(c == '\'' ? "''" : "\"x\"");
            } else if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                // Only where a token starts: inside an identifier (x$a$ is one name) a '$' opens no quote, and reading it as
                // one would blank the rest of the text, writes included.
                Matcher tag = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$").matcher(sql).region(i, n);
                if (tag.lookingAt()) {
                    int end = sql.indexOf(tag.group(), tag.end());
                    i = end < 0 ? n : end + tag.group().length();
                    cur.append("''");
                } else {
                    cur.append(c);
                    i++;
                }
            } else if (c == ';') {
                if (!cur.toString().isBlank()) out.add(cur.toString().strip());
                cur.setLength(0);
                i++;
            } else {
                cur.append(c);
                i++;
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            if (c == '\\' && quote == '\'' && start > 0 && Character.toLowerCase(sql.charAt(start - 1)) == 'e') {
                i += 2;
                continue;
            }
            i++;
        }
        return sql.length();
    }
}
