package dev.cutover.engine;

/** Asks the operator. The terminal asks for real; batch answers from --yes. */
public interface Prompter {

    /** True for yes. Throws when nobody can answer (batch without --yes). */
    boolean confirm(String question);

    /** A missing param's value; secrets are read without echo. Null when nobody can answer. */
    String ask(String name, String description, boolean secret);

    /** Batch: answers only from --yes and never asks for values. */
    static Prompter batch(boolean yes) {
        return new Prompter() {
            @Override
            public boolean confirm(String question) {
                if (yes) return true;
                throw new dev.cutover.spi.CommandException(
                        "needs confirmation: " + question + " (in batch, pass --yes to answer yes)");
            }

            @Override
            public String ask(String name, String description, boolean secret) {
                return null;
            }
        };
    }
}
