package dev.cutover.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import dev.cutover.command.Cancellation;

/**
 * A command to run on a host.
 *
 * @param argv    the program and its arguments, each passed as one argument whatever it contains
 * @param display how the command is shown (secrets already masked by the caller)
 * @param timeout null = none
 * @param stdout  receives each stdout line as it arrives
 * @param stderr  receives each stderr line as it arrives
 * @param env     extra environment (passwords travel here, never on a command line)
 */
public record ExecRequest(List<String> argv, String display, Duration timeout, Consumer<String> stdout,
                          Consumer<String> stderr, Cancellation cancellation, Map<String, String> env) {

    /** {@code bash -c script}: for operator-written shell lines. */
    public static ExecRequest shell(String script, Duration timeout, Consumer<String> out, Consumer<String> err,
                                    Cancellation cancellation) {
        return new ExecRequest(List.of("bash", "-c", script), script, timeout, out, err, cancellation, Map.of());
    }
}
