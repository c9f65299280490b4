package dev.cutover.app;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.fusesource.jansi.AnsiConsole;
import org.fusesource.jansi.AnsiType;

/**
 * Standard output for run, check and render, through Jansi. Jansi asks the stream itself whether it
 * is a terminal (isatty on fd 1), where System.console() is null as soon as stdin is redirected
 * ({@code cutover run ... --yes < /dev/null} in a terminal would lose its colours); it strips ANSI
 * codes when the output is not a terminal, and switches them on or emulates them on consoles that
 * do not speak ANSI by themselves (Windows).
 */
final class AnsiStdout {
    private AnsiStdout() {
    }

    static PrintWriter writer() {
        return new PrintWriter(new OutputStreamWriter(AnsiConsole.out(), StandardCharsets.UTF_8), true);
    }

    /** A terminal that can take escape codes and rewrite a line: not a pipe or file, not TERM=dumb. */
    static boolean terminal() {
        AnsiType type = AnsiConsole.out().getType();
        String term = System.getenv("TERM");
        return type != AnsiType.Redirected && type != AnsiType.Unsupported && term != null && !term.equals("dumb");
    }

    /** Colour only for a terminal whose user did not ask for none (NO_COLOR, no-color.org). */
    static boolean colour() {
        return terminal() && System.getenv("NO_COLOR") == null;
    }

    /** The terminal's width in columns; 0 when unknown. */
    static int columns() {
        return AnsiConsole.out().getTerminalWidth();
    }
}
