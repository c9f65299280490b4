package dev.cutover.ui;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** Colours typed input: controls, built-in commands, Groovy keywords, strings, numbers, comments. */
final class GroovyHighlighter implements Highlighter {
    private static final Set<String> KEYWORDS = Set.of("def", "if", "else", "for", "while", "in", "return", "true", "false",
            "null", "new", "try", "catch", "finally", "throw", "var", "each", "it");
    private static final Pattern TOKENS = Pattern.compile(
            "(?<comment>//.*$)|(?<string>'(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?)|(?<number>\\b\\d+(?:\\.\\d+)?\\b)|(?<word>[A-Za-z_][A-Za-z0-9_-]*)",
            Pattern.MULTILINE);
    private final Set<String> builtins;
    private final java.util.function.UnaryOperator<String> mask;

    /** {@code mask} hides secrets in the line as it is typed, keeping its length (the cursor must not move). */
    GroovyHighlighter(Set<String> builtins, java.util.function.UnaryOperator<String> mask) {
        this.builtins = builtins;
        this.mask = mask;
    }

    @Override
    public AttributedString highlight(LineReader reader, String typed) {
        String buffer = mask.apply(typed);
        AttributedStringBuilder sb = new AttributedStringBuilder();
        if (buffer.stripLeading().startsWith("/")) {
            int sp = buffer.indexOf(' ');
            String head = sp < 0 ? buffer : buffer.substring(0, sp);
            sb.styled(AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA), head);
            if (sp >= 0) sb.append(buffer.substring(sp));
            return sb.toAttributedString();
        }
        Matcher m = TOKENS.matcher(buffer);
        int last = 0;
        while (m.find()) {
            sb.append(buffer.substring(last, m.start()));
            String t = m.group();
            AttributedStyle style = AttributedStyle.DEFAULT;
            if (m.group("comment") != null) {
                style = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);
            } else if (m.group("string") != null) {
                style = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            } else if (m.group("number") != null) {
                style = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            } else if (builtins.contains(t)) {
                style = AttributedStyle.BOLD.foreground(AttributedStyle.CYAN);
            } else if (KEYWORDS.contains(t)) {
                style = AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE);
            }
            sb.styled(style, t);
            last = m.end();
        }
        sb.append(buffer.substring(last));
        return sb.toAttributedString();
    }

    @Override
    public void setErrorPattern(Pattern errorPattern) {
    }

    @Override
    public void setErrorIndex(int errorIndex) {
    }
}
