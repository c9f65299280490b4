package dev.cutover.transcript;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import dev.cutover.render.ControlChars;

/**
 * Text from the runbook's world (output, code, notes, errors, titles, params, event data) made safe
 * to record: it can never become a transcript event, and never leave the Markdown construct it is
 * written into. Every Unicode line break counts (a lone CR ends a line for Markdown readers; U+2028
 * does for some editors), and no recorded line may start, after blanks, with {@code <!--}: such a
 * line gets a visible backslash (in Markdown prose {@code \<} shows as {@code <}).
 */
final class UntrustedText {
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u000B\u000C\u0085\u2028\u2029]");

    private UntrustedText() {
    }

    /** The text's lines, each one inert (an empty text is one empty line). */
    static List<String> lines(String text) {
        return Arrays.stream(LINE_BREAK.split(text == null ? "" : text, -1)).map(UntrustedText::inert).toList();
    }

    /** Multi-line text for a code block: the same lines, joined with LF only. */
    static String block(String text) {
        return String.join("\n", lines(text));
    }

    /** Text that must stay on one line (headings, table cells, list items): line breaks become spaces. */
    static String line(String text) {
        return inert(LINE_BREAK.matcher(text == null ? "" : text).replaceAll(" "));
    }

    /**
     * A line that could be read as an HTML comment, hence as an event, starts with a backslash instead;
     * its control characters (ESC of a terminal sequence, BEL, DEL, C1) are made visible, so that
     * {@code cat} or {@code less -R} of a transcript obeys none of them.
     */
    static String inert(String line) {
        String l = ControlChars.escape(line);
        return l.stripLeading().startsWith("<!--") ? "\\" + l : l;
    }
}
