package dev.cutover.engine;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Lets operators type built-ins the way they say them: {@code fix-history neu} at the start of a
 * line (or after {@code x =}) becomes {@code fixHistory neu}. The replacement is padded with
 * spaces so that every column on the line stays where it was, and carets stay true.
 */
final class HyphenatedNames {
    private final Pattern pattern;

    HyphenatedNames(Collection<String> hyphenated) {
        if (hyphenated.isEmpty()) {
            pattern = null;
        } else {
            String names = hyphenated.stream().sorted((a, b) -> b.length() - a.length())
                    .map(Pattern::quote).collect(Collectors.joining("|"));
            pattern = Pattern.compile("(?m)^(\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\s*=\\s*)?)(" + names + ")(?=[\\s(]|$)");
        }
    }

    String rewrite(String code) {
        if (pattern == null) return code;
        Matcher m = pattern.matcher(code);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String hyphen = m.group(2);
            String camel = toCamel(hyphen);
            String padded = camel + " ".repeat(hyphen.length() - camel.length());
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + padded));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String toCamel(String hyphen) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : hyphen.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
