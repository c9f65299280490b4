package dev.cutover.app;

/** Bad usage: exit 2 with one line. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
