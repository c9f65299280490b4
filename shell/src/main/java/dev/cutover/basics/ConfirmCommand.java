package dev.cutover.basics;

import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;

/**
 * {@code confirm 'question?'}: asks the operator. "No" stops the step right there (refused), so
 * that the code after a confirm never runs by accident; in batch, {@code --yes} answers yes.
 */
public final class ConfirmCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("confirm",
            "ask the operator before going on (batch: --yes)",
            "confirm 'question?'");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) {
        String question = call.requireString(0, "the question: confirm 'go on?'");
        if (!ctx.confirm(question)) {
            throw CommandException.refused("operator declined: " + question);
        }
        return true;
    }
}
