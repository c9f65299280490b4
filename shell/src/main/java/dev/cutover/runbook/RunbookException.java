package dev.cutover.runbook;

/**
 * A problem in a runbook, reported as {@code file.md:line: message}, optionally followed by the
 * offending source line and a caret under the column.
 */
public class RunbookException extends RuntimeException {
    private final SourceLocation location;
    private final String sourceLine;

    public RunbookException(SourceLocation location, String message) {
        this(location, message, null);
    }

    public RunbookException(SourceLocation location, String message, String sourceLine) {
        super(message);
        this.location = location;
        this.sourceLine = sourceLine;
    }

    public SourceLocation location() {
        return location;
    }

    /** The runbook line the problem is on, when known (for the caret display). */
    public String sourceLine() {
        return sourceLine;
    }

    /** Longest message or source excerpt shown: a 5 MB line must not be echoed whole. */
    private static final int SHOWN = 160;

    /** One line: {@code file.md:line: message}. */
    public String oneLine() {
        String m = String.valueOf(getMessage()).replace('\n', ' ');
        if (m.length() > SHOWN * 3) m = m.substring(0, SHOWN * 3) + " … (" + (m.length() - SHOWN * 3) + " more characters)";
        return location + ": " + m;
    }

    /** The one line plus, when known, the source line (a window of it around the column) and a caret. */
    public String detailed() {
        StringBuilder sb = new StringBuilder(oneLine());
        if (sourceLine != null) {
            String line = sourceLine.stripTrailing();
            int col = Math.max(0, location.column() - 1);
            int from = line.length() <= SHOWN ? 0 : Math.max(0, Math.min(col - SHOWN / 2, line.length() - SHOWN));
            int to = Math.min(line.length(), from + SHOWN);
            String prefix = from > 0 ? "… " : "";
            sb.append('\n').append("    ").append(prefix).append(line, from, to).append(to < line.length() ? " …" : "");
            if (location.column() > 0) {
                sb.append('\n').append("    ").append(" ".repeat(prefix.length() + Math.max(0, col - from))).append('^');
            }
        }
        return sb.toString();
    }
}
