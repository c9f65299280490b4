package dev.cutover.freeze;

import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;

/**
 * Undoes a freeze that could not be completed, whatever stopped it, before the error goes up: a freeze
 * half in force that nothing records would stay after the step failed, out of unfreeze()'s sight.
 */
final class Undone {
    private Undone() {
    }

    /**
     * Undoes {@code freeze} and returns the error to throw: {@code what}, {@code e}'s reason, and what the undo did
     * ({@code undoneSays}, e.g. "the setting was restored").
     */
    static CommandException after(Exception e, CommandContext ctx, Freeze freeze, String what, String undoneSays) {
        // A cancelled step still undoes: the undo's own statements must not see the interrupt.
        boolean interrupted = Thread.interrupted();
        String reason = what + ": " + (e instanceof InterruptedException ? "cancelled" : e.getMessage());
        try {
            freeze.undo(ctx);
            return new CommandException(reason + "; " + undoneSays, e);
        } catch (Exception undo) {
            e.addSuppressed(undo);
            return new CommandException(reason + "; undoing it failed too (" + undo.getMessage() + "): it may still be in force, "
                    + "undo by hand: " + freeze.undoByHand(), e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
