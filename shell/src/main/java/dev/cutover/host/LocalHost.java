package dev.cutover.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** This machine: commands run through ProcessBuilder, killed with their children on timeout or cancel. */
public final class LocalHost implements Host {
    public static final LocalHost INSTANCE = new LocalHost();

    @Override
    public String name() {
        return "local";
    }

    @Override
    public ExecResult exec(ExecRequest req) throws IOException, InterruptedException {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(req.argv());
        pb.environment().putAll(req.env());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = pb.start();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread outPump = pump(process.getInputStream(), out, req.stdout());
        Thread errPump = pump(process.getErrorStream(), err, req.stderr());
        boolean timedOut = false;
        AutoCloseable hook = req.cancellation() == null ? () -> { } : req.cancellation().onCancel(() -> kill(process));
        try {
            if (req.timeout() != null) {
                if (!process.waitFor(req.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                    kill(process);
                }
            }
            process.waitFor();
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            try {
                hook.close();
            } catch (Exception ignored) {
                // closing a hook cannot fail in a way that matters here
            }
        }
        outPump.join(2000);
        errPump.join(2000);
        if (req.cancellation() != null && req.cancellation().isCancelled()) {
            throw new InterruptedException("cancelled: " + req.display());
        }
        return new ExecResult(name(), req.display(), process.exitValue(), out.toString(), err.toString(),
                Duration.ofNanos(System.nanoTime() - start), timedOut);
    }

    /** Kills the process and everything it started (a shell's children must not outlive a cancel). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads a stream, keeping its exact text and handing each complete line (and a last partial one) on. */
    static Thread pump(InputStream in, StringBuilder sink, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try (InputStreamReader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                StringBuilder line = new StringBuilder();
                int n;
                while ((n = r.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.append(buf, 0, n);
                    }
                    for (int i = 0; i < n; i++) {
                        char c = buf[i];
                        if (c == '\n') {
                            if (lines != null) lines.accept(line.toString());
                            line.setLength(0);
                        } else if (c != '\r') {
                            line.append(c);
                        }
                    }
                }
                if (!line.isEmpty() && lines != null) lines.accept(line.toString());
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        }, "exec-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
