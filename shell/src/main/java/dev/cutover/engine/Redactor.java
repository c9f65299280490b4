package dev.cutover.engine;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in everything shown or recorded: known secret values (secret params, passwords a
 * command learned) and password-shaped text (URL user:password@, password=..., PGPASSWORD=...).
 */
public final class Redactor {
    public static final String MASK = "******";
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s'\"]+:)([^@\\s'\"]+)(@)");
    private static final Pattern KEY_PASSWORD = Pattern.compile(
            "(?i)(\\b(?:password|passwd|pgpassword|secret)\\s*[=:]\\s*)(?!\\*{6})('[^']*'|\"[^\"]*\"|[^\\s&;,)'\"]+)");
    private final Set<String> secrets = new CopyOnWriteArraySet<>();

    /** Registers a value to mask. Values under 3 characters would mask ordinary text, so they are refused. */
    public void add(String secret) {
        if (secret != null && secret.length() >= 3) secrets.add(secret);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        // Longest first, so a secret containing another is masked whole.
        List<String> ordered = secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String s : ordered) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        out = URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        out = KEY_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + quoteLike(m.group(2))));
        return out;
    }

    private static String quoteLike(String original) {
        if (original.startsWith("'")) return "'" + MASK + "'";
        if (original.startsWith("\"")) return "\"" + MASK + "\"";
        return MASK;
    }
}
