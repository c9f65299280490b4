package dev.cutover.app;

import sun.misc.Signal;

/** SIGINT in batch mode cancels the running step (exit 130) instead of killing the JVM mid-write. */
final class SignalHandlers {
    private SignalHandlers() {
    }

    /**
     * @param cancelRunning cancels the running step; false when none was running
     * @param beforeExit    runs when nothing was running and the JVM is about to exit 130 (the report says so)
     */
    static void onInterrupt(java.util.function.BooleanSupplier cancelRunning, Runnable beforeExit) {
        try {
            Signal.handle(new Signal("INT"), sig -> {
                if (!cancelRunning.getAsBoolean()) {
                    beforeExit.run();
                    ExitStatus.exit(130);
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no signal support here: the JVM's default handling stays
        }
    }
}
