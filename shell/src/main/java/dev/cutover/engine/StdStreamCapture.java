package dev.cutover.engine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Catches what a block writes straight to the process's standard output and error (a library's
 * printStackTrace, a println of its own) and routes it through the notebook like any other
 * output: redacted, shown, and recorded in the transcript. Threads that are not running a block
 * (and threads the sink itself writes from) pass straight through to the real streams.
 */
public final class StdStreamCapture {
    /** Inherited, so a thread a block starts still writes into that block's output. */
    private static final InheritableThreadLocal<Sink> SINK = new InheritableThreadLocal<>();
    private static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> false);

    private StdStreamCapture() {
    }

    /** Where one running block's stray output goes; one line at a time. */
    static final class Sink {
        private final Consumer<String> out;
        private final Consumer<String> err;
        private final ByteArrayOutputStream outBuffer = new ByteArrayOutputStream();
        private final ByteArrayOutputStream errBuffer = new ByteArrayOutputStream();

        Sink(Consumer<String> out, Consumer<String> err) {
            this.out = out;
            this.err = err;
        }

        synchronized void write(boolean isErr, byte[] b, int off, int len) {
            ByteArrayOutputStream buffer = isErr ? errBuffer : outBuffer;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    deliver(isErr, buffer);
                } else {
                    buffer.write(b[i]);
                }
            }
        }

        /** What is left without a newline when the block ends. */
        synchronized void flushRest() {
            if (outBuffer.size() > 0) deliver(false, outBuffer);
            if (errBuffer.size() > 0) deliver(true, errBuffer);
        }

        private void deliver(boolean isErr, ByteArrayOutputStream buffer) {
            String text = buffer.toString(StandardCharsets.UTF_8);
            String line = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            buffer.reset();
            passThrough(() -> (isErr ? err : out).accept(line));
        }
    }

    /**
     * A stream to put in place of the process's standard output ({@code err} false) or error: what a
     * running block writes to it goes to that block's sink, anything else to {@code original}. The
     * application installs it once (app/StdStreams); the engine itself never touches the process's streams.
     */
    public static synchronized PrintStream routing(PrintStream original, boolean err) {
        return original instanceof RoutingStream ? original : new RoutingStream(original, err);
    }

    /**
     * Runs {@code r} with the real streams: the notebook's own output (listeners printing a line
     * the block produced) must not be caught again.
     */
    static void passThrough(Runnable r) {
        if (DELIVERING.get()) {
            r.run();
            return;
        }
        DELIVERING.set(true);
        try {
            r.run();
        } finally {
            DELIVERING.set(false);
        }
    }

    static void attach(Sink sink) {
        SINK.set(sink);
    }

    static void detach() {
        Sink s = SINK.get();
        if (s != null) s.flushRest();
        SINK.remove();
    }

    private static final class RoutingStream extends PrintStream {
        private final boolean isErr;

        RoutingStream(OutputStream original, boolean isErr) {
            super(original, true, StandardCharsets.UTF_8);
            this.isErr = isErr;
        }

        private Sink sink() {
            return DELIVERING.get() ? null : SINK.get();
        }

        @Override
        public void write(int b) {
            Sink s = sink();
            if (s == null) {
                super.write(b);
            } else {
                s.write(isErr, new byte[] {(byte) b}, 0, 1);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            Sink s = sink();
            if (s == null) {
                super.write(buf, off, len);
            } else {
                s.write(isErr, buf, off, len);
            }
        }
    }
}
