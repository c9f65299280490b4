package dev.cutover.app;

import dev.cutover.engine.StdStreamCapture;

/**
 * The process's standard output and error, replaced once at start-up by streams that send what a
 * running block writes there (a library's printStackTrace, {@code System.out.println}, its threads)
 * through the notebook, so it is masked and lands in the transcript; everything else passes through.
 */
final class StdStreams {
    private StdStreams() {
    }

    static void route() {
        System.setOut(StdStreamCapture.routing(System.out, false));
        System.setErr(StdStreamCapture.routing(System.err, true));
    }
}
