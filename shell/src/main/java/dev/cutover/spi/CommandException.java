package dev.cutover.spi;

/**
 * A command failed or refused for a reason the operator can act on. The message is the whole
 * story (what, why, how to proceed): it is shown as one line, without a stack trace.
 */
public class CommandException extends RuntimeException {
    private final boolean refusal;

    public CommandException(String message) {
        this(message, false, null);
    }

    public CommandException(String message, Throwable cause) {
        this(message, false, cause);
    }

    protected CommandException(String message, boolean refusal, Throwable cause) {
        super(message, cause);
        this.refusal = refusal;
    }

    /** A safety refusal: nothing was changed because the command lacked proof it was safe. */
    public static CommandException refused(String message) {
        return new CommandException(message, true, null);
    }

    public boolean isRefusal() {
        return refusal;
    }
}
