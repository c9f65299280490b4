package dev.cutover.command.builtin;

import java.time.Duration;
import java.util.List;
import dev.cutover.command.Command;
import dev.cutover.command.CommandContext;
import dev.cutover.command.CommandException;
import dev.cutover.command.CommandResult;
import dev.cutover.command.Invocation;
import dev.cutover.freeze.Freeze;
import dev.cutover.freeze.Freezes;
import dev.cutover.runbook.Durations;

/** {@code unfreeze f} undoes exactly what that freeze changed; {@code unfreeze()} undoes every active one. */
public final class UnfreezeCommand implements Command {
    @Override
    public String name() {
        return "unfreeze";
    }

    @Override
    public String summary() {
        return "undo a freeze (or all of them), recording how long writes were frozen";
    }

    @Override
    public String usage() {
        return "unfreeze f   or   unfreeze()";
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

    @Override
    public Object run(CommandContext ctx, Invocation call) throws Exception {
        call.checkOptions(options());
        Freezes freezes = ctx.session(Freezes.class, Freezes::new);
        Object arg = call.arg(0);
        if (arg == null) {
            List<Freeze> active = freezes.active();
            List<Duration> d = freezes.unfreezeAll(ctx);
            return new Unfrozen(active.stream().map(Freeze::target).toList(), d.stream().max(Duration::compareTo).orElse(Duration.ZERO));
        }
        if (arg instanceof Freeze f) {
            Duration d = freezes.unfreeze(f, ctx);
            return new Unfrozen(List.of(f.target()), d);
        }
        throw new CommandException("unfreeze: give the handle freeze returned (f = freeze ...; unfreeze f), or nothing for all");
    }
}
