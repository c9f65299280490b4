package dev.cutover.basics;

import dev.cutover.spi.Command;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;

/**
 * {@code confirm 'question?'}: asks the operator. "No" stops the step right there (refused), so
 * that the code after a confirm never runs by accident; in batch, {@code --yes} answers yes.
 */
public final class ConfirmCommand implements Command {
    @Override
    public String name() {
        return "confirm";
    }

    @Override
    public String summary() {
        return "ask the operator before going on (batch: --yes)";
    }

    @Override
    public String usage() {
        return "confirm 'question?'";
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) {
        call.checkOptions(options());
        String question = call.requireString(0, "the question: confirm 'go on?'");
        if (!ctx.confirm(question)) {
            throw CommandException.refused("operator declined: " + question);
        }
        return true;
    }
}
