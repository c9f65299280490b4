package dev.cutover.spi;

import java.util.List;

/**
 * A built-in of the runbook DSL. One class per command in {@code command/builtin}, listed once in
 * {@link Registry}. Commands never print: they write through {@link CommandContext#out()} so the
 * transcript captures everything, and they return a value (usually a {@link CommandResult}).
 */
public interface Command {

    /** The camel-case name Groovy calls ({@code fixHistory}); {@link #hyphenated()} derives the typed form. */
    String name();

    /** One line for /help and completion. */
    String summary();

    /** Named options ({@code url:}, {@code timeout:}) for validation, completion and /help. */
    default List<OptionSpec> options() {
        return List.of();
    }

    /** How it is called, for /help: {@code connect NAME, url: '...', ssh: 'user@host'}. */
    default String usage() {
        return name();
    }

    Object run(CommandContext ctx, Invocation call) throws Exception;

    /** {@code fixHistory} → {@code fix-history}; equal to the name when it has no capitals. */
    default String hyphenated() {
        return name().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
