package dev.cutover.runbook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One runnable block of a runbook.
 *
 * @param number    1-based position among the runbook's steps
 * @param id        from {@code id=} in the info string, else a slug of the title
 * @param title     the nearest heading above the block
 * @param kind      Groovy or SQL
 * @param target    for SQL steps, the variable naming the server; null for Groovy
 * @param code      the block's content
 * @param codeStart location of the block's first code line (the line after the opening fence)
 * @param flags     info-string flags
 */
public record Step(int number, String id, String title, StepKind kind, String target, String code,
                   SourceLocation codeStart, StepFlags flags) {

    /** sha-256 of the code, recorded in transcripts so a resume notices edited steps. */
    public String codeSha() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "Step 4 (promote)". */
    public String label() {
        return "Step " + number + " (" + id + ")";
    }

    /** The runbook location of line {@code lineInBlock} (1-based) of the code. */
    public SourceLocation locationOf(int lineInBlock, int column) {
        return codeStart.plusLines(Math.max(0, lineInBlock - 1), column);
    }

    /** Line {@code lineInBlock} (1-based) of the code, or null. */
    public String codeLine(int lineInBlock) {
        String[] lines = code.split("\n", -1);
        return lineInBlock >= 1 && lineInBlock <= lines.length ? lines[lineInBlock - 1] : null;
    }
}
