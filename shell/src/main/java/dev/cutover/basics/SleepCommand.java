package dev.cutover.basics;

import java.time.Duration;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.Durations;

/**
 * {@code sleep 5} (seconds) or {@code sleep '500ms'}. Seconds, not Groovy's milliseconds: operators
 * write waits in seconds. Interruptible: Ctrl-C ends it at once.
 */
public final class SleepCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("sleep",
            "wait (seconds, or '500ms', '2m'); Ctrl-C ends it",
            "sleep 5");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws InterruptedException {
        Duration d;
        try {
            d = Durations.of(call.arg(0) == null ? "1" : call.arg(0));
        } catch (IllegalArgumentException e) {
            throw new CommandException("sleep: " + e.getMessage());
        }
        long end = System.nanoTime() + d.toNanos();
        while (true) {
            ctx.cancellation().check();
            long left = end - System.nanoTime();
            if (left <= 0) break;
            Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
        }
        return null;
    }
}
