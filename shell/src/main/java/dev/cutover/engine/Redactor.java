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
    /** Secrets shorter than this cannot be masked safely: 3 characters are masked but warned about, fewer are not masked. */
    public static final int SAFE_LENGTH = 4;
    /** The user may be empty: libpq reads {@code postgresql://:pw@host} as the default user with a password. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s'\"]*:)([^\\s/?]*)(@)");
    /**
     * {@code password=x}, {@code DB_PASSWORD=x} (no word boundary after an underscore, hence the
     * look-behind), and JSON's {@code "password":"x"} (the key's closing quote before the colon; a
     * double-quoted value may hold escaped quotes).
     */
    private static final Pattern KEY_PASSWORD = Pattern.compile(
            "(?i)((?<![a-z0-9])(?:password|passwd|pgpassword|secret)[\"']?\\s*[=:]\\s*)(?!\\*{6})('[^']*'|\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s&;,)'\"]+)");
    private final Set<String> secrets = new CopyOnWriteArraySet<>();

    /**
     * Registers a value to mask. Values under 3 characters would mask ordinary text, so they are refused.
     * Each line of a multi-line secret (a PEM key) is registered too: output reaches us line by line
     * (stray stdout, a command's streamed output), where the whole value never appears at once.
     */
    public void add(String secret) {
        if (secret == null || secret.length() < 3) return;
        secrets.add(secret);
        if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
            for (String line : secret.split("\r\n|\r|\n")) {
                String l = line.strip();
                if (l.length() >= SAFE_LENGTH) secrets.add(l);
            }
        }
    }

    /**
     * The secrets of the environment cutover was started in: libpq's PGPASSWORD, which every block
     * can read ({@code System.getenv('PGPASSWORD')}) and every child process inherits.
     */
    public void addEnvironment(java.util.Map<String, String> env) {
        add(env.get("PGPASSWORD"));
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

    /** A copy of structured data (event payloads) with every string in it redacted. */
    @SuppressWarnings("unchecked")
    public <T> T redactValues(T value) {
        if (value instanceof String s) return (T) redact(s);
        if (value instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, redactValues(v)));
            return (T) out;
        }
        if (value instanceof java.util.Collection<?> c) {
            return (T) c.stream().map(this::redactValues).collect(java.util.stream.Collectors.toList());
        }
        return value;
    }

    /**
     * The same text with every secret character replaced by '*', keeping its length: for the line
     * being typed, where the cursor position must not move.
     */
    public String maskInPlace(String text) {
        if (text == null || text.isEmpty()) return text;
        char[] out = text.toCharArray();
        for (String s : secrets) {
            for (int i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) java.util.Arrays.fill(out, i, i + s.length(), '*');
        }
        for (Pattern p : new Pattern[] {URL_PASSWORD, KEY_PASSWORD}) {
            Matcher m = p.matcher(text);
            while (m.find()) java.util.Arrays.fill(out, m.start(2), m.end(2), '*');
        }
        return new String(out);
    }

    private static String quoteLike(String original) {
        if (original.startsWith("'")) return "'" + MASK + "'";
        if (original.startsWith("\"")) return "\"" + MASK + "\"";
        return MASK;
    }
}
