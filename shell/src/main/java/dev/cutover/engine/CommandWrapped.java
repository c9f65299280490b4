package dev.cutover.engine;

/** Checked exceptions from commands travel through Groovy wrapped in this. */
final class CommandWrapped extends RuntimeException {
    CommandWrapped(Exception cause) {
        super(cause.getMessage(), cause);
    }
}
