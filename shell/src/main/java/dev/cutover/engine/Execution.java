package dev.cutover.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.cutover.command.Cancellation;

/**
 * One run of a step or typed line on its own thread. Cancel runs the registered hooks (cancel the
 * SQL statement, kill the remote process) and interrupts the thread; escalate stops the thread
 * outright for code that ignores interrupts.
 */
final class Execution implements Cancellation {
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile String cancelReason;
    private volatile long cancelledAtNanos;
    private volatile boolean escalated;
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

    @Override
    public AutoCloseable onCancel(Runnable hook) {
        if (isCancelled()) {
            hook.run();
            return () -> { };
        }
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** First Ctrl-C (or a timeout): hooks, then interrupt. Returns false when already cancelled. */
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
