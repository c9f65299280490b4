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

    /** One line: {@code file.md:line: message}. */
    public String oneLine() {
        return location + ": " + getMessage();
    }

    /** The one line plus, when known, the source line and a caret under the column. */
    public String detailed() {
        StringBuilder sb = new StringBuilder(oneLine());
        if (sourceLine != null) {
            sb.append('\n').append("    ").append(sourceLine.stripTrailing());
            if (location.column() > 0) {
                sb.append('\n').append("    ").append(" ".repeat(location.column() - 1)).append('^');
            }
        }
        return sb.toString();
    }
}
