package dev.cutover.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The shell history with secrets masked before a line is kept, in memory and in the file, and a
 * file only its owner can read: a typed {@code connect ... url: 'postgresql://u:pw@h'} must not
 * survive the session in {@code ~/.cutover_history}.
 */
final class RedactingHistory extends DefaultHistory {
    private final UnaryOperator<String> redact;

    RedactingHistory(UnaryOperator<String> redact) {
        this.redact = redact;
    }

    @Override
    public void add(Instant time, String line) {
        super.add(time, redact.apply(line));
    }

    /**
     * Creates the file as 0600 (or tightens an existing one) before JLine first writes it: JLine
     * appends to the file as it is and trims through a temporary file, which Java creates 0600.
     */
    static void ownerOnly(Path file) {
        try {
            if (Files.notExists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // No history file is better than a readable one: JLine then keeps history in memory only.
        }
    }
}
