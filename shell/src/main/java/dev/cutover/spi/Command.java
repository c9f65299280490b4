package dev.cutover.spi;

import java.util.List;

/**
 * A built-in of the runbook DSL: one class in its feature's package, listed once in
 * {@code app/Builtins}. It declares itself once ({@link #spec()}); the engine checks the named
 * options against that before {@link #run}. Commands never print: they write through
 * {@link CommandContext#out} so the transcript captures everything, and they return a value
 * (usually a {@link CommandResult}).
 */
public interface Command {

    /** Name, summary, usage and options, declared once. */
    CommandSpec spec();

    Object run(CommandContext ctx, Invocation call) throws Exception;

    /**
     * A resumed run: what this command recorded in the earlier run ({@code recorded}, every command's
     * events in order), so it can restore the session state it owns (freezes still in force, snapshots
     * to verify against). Most commands own none.
     */
    default void resume(List<RecordedEvent> recorded, CommandContext ctx) {
    }

    /** The camel-case name Groovy calls ({@code fixHistory}); {@link #hyphenated()} derives the typed form. */
    default String name() {
        return spec().name();
    }

    /** One line for /help and completion. */
    default String summary() {
        return spec().summary();
    }

    /** Named options ({@code url:}, {@code timeout:}) for validation, completion and /help. */
    default List<OptionSpec> options() {
        return spec().options();
    }

    /** How it is called, for /help. */
    default String usage() {
        return spec().usage();
    }

    /** {@code fixHistory} → {@code fix-history}; equal to the name when it has no capitals. */
    default String hyphenated() {
        return name().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
