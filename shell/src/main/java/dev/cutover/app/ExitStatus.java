package dev.cutover.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The process's exit code is cutover's to choose. The compile-time check refuses the exit calls a block
 * names, but dynamic Groovy reaches {@code System.exit} in ways no reading of the source sees
 * ({@code Eval.me}, {@code evaluate}, a class loaded by name, reflection), and the code the block chose
 * became the run's, 0 included: a run cut short could exit as if it had succeeded. Java 17 offers no
 * quiet way to refuse an exit (its security manager prints a deprecation warning on every start), so
 * the truth is told at the end instead: an exit cutover did not ask for ({@link #exit}) waits for the
 * other shutdown work (freezes undone, the transcript's note, the report's "terminated") and then ends
 * the process with {@value ReportKeeper#TERMINATED}, the code the report records. {@code Runtime.halt}
 * runs no shutdown work at all and stays out of reach.
 */
final class ExitStatus {
    private static volatile boolean requested;
    private static final List<Thread> OTHER_HOOKS = new CopyOnWriteArrayList<>();

    private ExitStatus() {
    }

    /** Registers the hook; once, at start-up of the CLI process (never in a test's JVM). */
    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitStatus::atExit, "cutover-exit-status"));
    }

    /** A shutdown hook of cutover's own that must finish before the code is set. */
    static void awaits(Thread hook) {
        OTHER_HOOKS.add(hook);
    }

    /** A hook taken back (its work was done the ordinary way): nothing to wait for. */
    static void forget(Thread hook) {
        OTHER_HOOKS.remove(hook);
    }

    /** Ends the process with {@code code}, as cutover decided. */
    static void exit(int code) {
        requested = true;
        System.exit(code);
    }

    private static void atExit() {
        if (requested) return;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (Thread hook : OTHER_HOOKS) {
            try {
                // The JVM starts the hooks one after another: one not started yet is waited for, briefly.
                while (hook.getState() == Thread.State.NEW && System.nanoTime() < deadline) Thread.sleep(5);
                hook.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                break;
            }
        }
        System.err.println("cutover: the process is ending before the run finished (a block's System.exit, or a signal): exit "
                + ReportKeeper.TERMINATED);
        System.err.flush();
        Runtime.getRuntime().halt(ReportKeeper.TERMINATED);
    }
}
