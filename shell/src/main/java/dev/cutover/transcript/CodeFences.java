package dev.cutover.transcript;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows CommonMark's top-level fenced code blocks line by line, so the reader can tell the
 * transcript's own lines from the code and output it quotes: an opening fence is three or more
 * backticks or tildes indented at most three spaces; only the same character, at least as many,
 * with nothing after but blanks, closes it.
 */
final class CodeFences {
    private static final Pattern OPENING = Pattern.compile(" {0,3}(`{3,}|~{3,})(.*)");

    private char fenceChar;
    private int fenceLength; // 0: not inside a fence

    /** Takes the next line; true when it is outside every fence (a fence line itself is not). */
    boolean outside(String line) {
        if (fenceLength > 0) {
            if (closes(line)) fenceLength = 0;
            return false;
        }
        Matcher m = OPENING.matcher(line);
        if (m.matches() && !(m.group(1).charAt(0) == '`' && m.group(2).indexOf('`') >= 0)) {
            fenceChar = m.group(1).charAt(0);
            fenceLength = m.group(1).length();
            return false;
        }
        return true;
    }

    /** The fence left open at the end, or null: a writer that died inside a fence. */
    String open() {
        return fenceLength == 0 ? null : String.valueOf(fenceChar).repeat(fenceLength);
    }

    private boolean closes(String line) {
        int i = 0;
        while (i < line.length() && i < 3 && line.charAt(i) == ' ') i++;
        int run = 0;
        while (i < line.length() && line.charAt(i) == fenceChar) {
            i++;
            run++;
        }
        if (run < fenceLength) return false;
        for (; i < line.length(); i++) if (line.charAt(i) != ' ' && line.charAt(i) != '\t') return false;
        return true;
    }
}
