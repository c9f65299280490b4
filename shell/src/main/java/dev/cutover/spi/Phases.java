package dev.cutover.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Times the phases of a long operation, announcing each as it starts and ends. */
public final class Phases {
    private final CommandContext ctx;
    private final String what;
    private final Map<String, Duration> took = new LinkedHashMap<>();

    public Phases(CommandContext ctx, String what) {
        this.ctx = ctx;
        this.what = what;
    }

    public <T> T run(String phase, Callable<T> body) throws Exception {
        ctx.progress(what + ": " + phase + " …");
        long t0 = System.nanoTime();
        try {
            return body.call();
        } finally {
            Duration d = Duration.ofNanos(System.nanoTime() - t0);
            took.put(phase, d);
            ctx.info(what + ": " + phase + " took " + Durations.format(d));
        }
    }

    /** A phase that returns nothing and may throw. */
    public interface Body {
        void run() throws Exception;
    }

    public void run(String phase, Body body) throws Exception {
        run(phase, () -> {
            body.run();
            return null;
        });
    }

    public Map<String, Duration> took() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(took));
    }
}
