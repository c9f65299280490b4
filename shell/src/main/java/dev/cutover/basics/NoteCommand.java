package dev.cutover.basics;

import java.util.Map;
import dev.cutover.spi.Command;
import dev.cutover.spi.CommandSpec;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.Invocation;
import dev.cutover.spi.RecordedEvent;

/** {@code note 'text'}: an annotation in the transcript, from inside a step. */
public final class NoteCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("note",
            "add an annotation to the transcript",
            "note 'text'");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Object run(CommandContext ctx, Invocation call) {
        if (call.positional().isEmpty()) throw new CommandException("note: what should the note say? note 'text'");
        String text = String.valueOf(call.arg(0));
        ctx.event(RecordedEvent.NOTE, Map.of("text", text));
        return null;
    }
}
