package dev.cutover.engine;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs a step's code on its own daemon thread, with what it writes to standard output and error captured,
 * and waits: up to its timeout (then cancels it as timed out), through Ctrl-C (cancel, then
 * escalate), and at last abandons a thread that will not stop rather than hang the shell.
 */
final class StepThread {
    /** How long a cancelled step gets to stop on its own before a timeout escalates. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private StepThread() {
    }

    /** What the thread left: its value or what it threw, and whether it is still alive (abandoned). */
    record Outcome(Object value, Throwable failure, boolean alive) {
    }

    static Outcome run(String name, Execution execution, Duration timeout, StdStreamCapture.Sink stray, Callable<Object> body) {
        Object[] outcome = new Object[2]; // value, throwable
        Thread worker = new Thread(() -> {
            StdStreamCapture.attach(stray);
            try {
                outcome[0] = body.call();
            } catch (Throwable t) {
                outcome[1] = t;
            } finally {
                StdStreamCapture.detach();
            }
        }, name);
        worker.setDaemon(true);
        execution.thread = worker;
        worker.start();
        waitFor(worker, execution, timeout);
        return new Outcome(outcome[0], (Throwable) outcome[1], worker.isAlive());
    }

    private static void waitFor(Thread worker, Execution execution, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (worker.isAlive()) {
            try {
                worker.join(50);
            } catch (InterruptedException e) {
                execution.cancel("interrupted");
            }
            long now = System.nanoTime();
            if (now > deadline && !execution.isCancelled()) {
                execution.timeOut(timeout);
            }
            if (execution.isCancelled()) {
                long since = now - execution.cancelledAtNanos();
                // A timeout has no operator to press Ctrl-C twice: escalate by itself after the grace.
                if (since > GRACE.toNanos() && !execution.escalated() && now > deadline) execution.escalate();
                if (execution.escalated() && since > GRACE.toNanos() * 3) return; // abandon
            }
        }
    }
}
