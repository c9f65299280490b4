package dev.cutover.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a built-in declares once: its name, one line for /help and completion, how it is called,
 * and the named options it accepts. The engine refuses an unknown option from this list before the
 * command runs, so a typo is never ignored and no command repeats the check.
 *
 * @param name    the camel-case name Groovy calls ({@code fixHistory})
 * @param summary one line for /help and completion
 * @param usage   how it is called: {@code connect NAME, url: '...', ssh: 'user@host'}
 */
public record CommandSpec(String name, String summary, String usage, List<OptionSpec> options) {
    public CommandSpec {
        options = List.copyOf(options);
    }

    public static CommandSpec of(String name, String summary, String usage, OptionSpec... options) {
        return new CommandSpec(name, summary, usage, Arrays.asList(options));
    }

    /** The same spec with {@code more} options (a command whose modes add options of their own). */
    public CommandSpec with(List<OptionSpec> more) {
        List<OptionSpec> all = new ArrayList<>(options);
        all.addAll(more);
        return new CommandSpec(name, summary, usage, all);
    }
}
