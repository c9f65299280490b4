package dev.cutover.transcript;

import java.io.IOException;

/**
 * A file that cannot be read as a cutover transcript: not UTF-8, a damaged event line, no session
 * header. The message is one line naming the file (and the line when there is one).
 */
public final class TranscriptFormatException extends IOException {
    TranscriptFormatException(String message) {
        super(message);
    }
}
