package dev.cutover.spi;

/**
 * Lets long operations stop when the operator presses Ctrl-C or a step times out: register what
 * to do (cancel a statement, kill a remote process) while it runs.
 */
public interface Cancellation {

    boolean isCancelled();

    /** Registers a hook run once on cancel; close the returned handle when the operation is over. */
    AutoCloseable onCancel(Runnable hook);

    /** Throws {@link InterruptedException} when cancelled, for loops that poll. */
    default void check() throws InterruptedException {
        if (isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
        }
    }
}
