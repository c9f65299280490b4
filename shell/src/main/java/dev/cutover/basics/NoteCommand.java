package dev.cutover.basics;

import java.util.Map;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;

/** {@code note 'text'}: an annotation in the transcript, from inside a step. */
public final class NoteCommand implements Command {
    @Override
    public String name() {
        return "note";
    }

    @Override
    public String summary() {
        return "add an annotation to the transcript";
    }

    @Override
    public String usage() {
        return "note 'text'";
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) {
        call.checkOptions(options());
        if (call.positional().isEmpty()) throw new CommandException("note: what should the note say? note 'text'");
        String text = String.valueOf(call.arg(0));
        ctx.event("note", Map.of("text", text));
        return null;
    }
}
