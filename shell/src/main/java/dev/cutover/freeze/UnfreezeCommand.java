package dev.cutover.freeze;

import java.time.Duration;
import java.util.List;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.Durations;

/**
 * {@code unfreeze f} undoes exactly what that freeze changed ({@code unfreeze 'freeze-2'} by its id);
 * {@code unfreeze()} undoes every active one. A freeze whose server promote stopped ends without an
 * undo, saying what stays in that server's configuration.
 */
public final class UnfreezeCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("unfreeze",
            "undo a freeze (or all of them), recording how long writes were frozen",
            "unfreeze f   or   unfreeze()   or   unfreeze 'freeze-1'");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    /** How long writes were stopped. */
    public record Unfrozen(List<String> what, Duration longest) implements CommandResult {
        @Override
        public String summary() {
            return what.isEmpty() ? "nothing was frozen" : "unfrozen " + String.join(", ", what) + "; writes were frozen for " + Durations.format(longest);
        }

        @Override
        public Duration elapsed() {
            return longest;
        }
    }

    private static String what(Freeze f) {
        return f.endedWithoutUndo() == null ? f.target() : f.target() + " (its server is stopped: nothing was undone there)";
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        Freezes freezes = ctx.session(Freezes.class, Freezes::new);
        Object arg = call.arg(0);
        if (arg == null) {
            List<Freeze> active = freezes.active();
            List<Duration> d = freezes.unfreezeAll(ctx);
            return new Unfrozen(active.stream().map(UnfreezeCommand::what).toList(), d.stream().max(Duration::compareTo).orElse(Duration.ZERO));
        }
        if (arg instanceof CharSequence id) {
            arg = freezes.byId(id.toString()).orElseThrow(() -> new CommandException("unfreeze: no freeze " + id + " in this session"
                    + (freezes.active().isEmpty() ? " (none is active)" : " (active: " + String.join(", ", freezes.active().stream().map(Freeze::id).toList()) + ")")));
        }
        if (arg instanceof Freeze f) {
            Duration d = freezes.unfreeze(f, ctx);
            return new Unfrozen(List.of(what(f)), d);
        }
        throw new CommandException("unfreeze: give the handle freeze returned (f = freeze ...; unfreeze f), its id ('freeze-1'), or nothing for all");
    }
}
