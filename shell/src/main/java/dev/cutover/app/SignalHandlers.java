package dev.cutover.app;

import sun.misc.Signal;

/** SIGINT in batch mode cancels the running step (exit 130) instead of killing the JVM mid-write. */
final class SignalHandlers {
    private SignalHandlers() {
    }

    static void onInterrupt(java.util.function.BooleanSupplier cancelRunning) {
        try {
            Signal.handle(new Signal("INT"), sig -> {
                if (!cancelRunning.getAsBoolean()) System.exit(130);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no signal support here: the JVM's default handling stays
        }
    }
}
