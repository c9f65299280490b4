package dev.cutover.runbook;

/** A place in a runbook file: 1-based line (0: the whole file), 1-based column (0 when unknown). */
public record SourceLocation(String file, int line, int column) {

    public SourceLocation(String file, int line) {
        this(file, line, 0);
    }

    /** The location {@code lineOffset} lines further down (0 = this line). */
    public SourceLocation plusLines(int lineOffset, int newColumn) {
        return new SourceLocation(file, line + lineOffset, newColumn);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file; // 0: the file as a whole
    }
}
