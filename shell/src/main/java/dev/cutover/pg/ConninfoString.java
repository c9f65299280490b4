package dev.cutover.pg;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * libpq's keyword/value connection string, {@code host=db1 port=5433 user=app dbname='my db'}, as
 * {@code psql "..."} reads it: {@code keyword = value} pairs separated by whitespace, a value bare
 * or single-quoted, {@code \'} and {@code \\} escaped. pgjdbc has no parser for this form (only URLs).
 */
public final class ConninfoString {
    private ConninfoString() {
    }

    /** Whether the text is this form rather than a URL: libpq's own test (an '=' and no scheme). */
    public static boolean looksLikeOne(String text) {
        return text != null && text.contains("=") && !text.trim().matches("(?s)^postgres(?:ql)?://.*");
    }

    /** The keywords in order of appearance (a repeated keyword: the last wins, as in libpq). */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= n) return out;
            int start = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) i++;
            String keyword = text.substring(start, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= n || text.charAt(i) != '=') {
                throw new IllegalArgumentException("missing \"=\" after \"" + keyword + "\" in the connection string");
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) throw new IllegalArgumentException("unterminated quoted value of \"" + keyword + "\" in the connection string");
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) c = text.charAt(i++);
                    value.append(c);
                }
            }
            if (keyword.isEmpty()) throw new IllegalArgumentException("a value without a keyword in the connection string");
            out.put(keyword, value.toString());
        }
    }
}
