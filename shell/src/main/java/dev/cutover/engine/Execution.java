package dev.cutover.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.cutover.spi.Cancellation;
import dev.cutover.spi.Durations;

/**
 * One run of a step or typed line on its own thread. Cancel runs the registered hooks (cancel the
 * SQL statement, kill the remote process) and interrupts the thread; escalate stops the thread
 * outright for code that ignores interrupts. A timeout cancels the same way but is remembered as
 * one: the step failed (and may be retried), where a Ctrl-C interrupted it.
 */
final class Execution implements Cancellation {
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile String cancelReason;
    private volatile long cancelledAtNanos;
    private volatile boolean escalated;
    private volatile boolean timedOut;
    volatile Thread thread;

    @Override
    public boolean isCancelled() {
        return cancelReason != null;
    }

    String cancelReason() {
        return cancelReason;
    }

    long cancelledAtNanos() {
        return cancelledAtNanos;
    }

    boolean escalated() {
        return escalated;
    }

    /** True when the step ran past its timeout= (and was cancelled for it), not stopped by the operator. */
    boolean timedOut() {
        return timedOut;
    }

    @Override
    public AutoCloseable onCancel(Runnable hook) {
        if (isCancelled()) {
            hook.run();
            return () -> { };
        }
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** The step's time is up: cancel it as a Ctrl-C would, but remember that it failed rather than being stopped. */
    synchronized boolean timeOut(Duration limit) {
        if (isCancelled()) return false;
        timedOut = true;
        return cancel("timed out after " + Durations.format(limit));
    }

    /** First Ctrl-C: hooks, then interrupt. Returns false when already cancelled. */
    synchronized boolean cancel(String reason) {
        if (isCancelled()) return false;
        cancelReason = reason;
        cancelledAtNanos = System.nanoTime();
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException ignored) {
                // a failing hook must not keep the others from running
            }
        }
        Thread t = thread;
        if (t != null) t.interrupt();
        return true;
    }

    /** Second Ctrl-C: stop the thread even if it ignores interrupts. */
    @SuppressWarnings({"deprecation", "removal"})
    synchronized void escalate() {
        escalated = true;
        Thread t = thread;
        if (t != null && t.isAlive()) {
            try {
                t.stop();
            } catch (UnsupportedOperationException e) {
                t.interrupt();
            }
        }
    }
}
