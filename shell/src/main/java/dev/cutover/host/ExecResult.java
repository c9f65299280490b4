package dev.cutover.host;

import java.time.Duration;
import java.util.List;
import dev.cutover.command.CommandResult;
import dev.cutover.runbook.Durations;

/**
 * The outcome of a command run on a host. Groovy reads it as {@code r.exitCode}, {@code r.stdout},
 * {@code r.stderr}.
 */
public record ExecResult(String host, String command, int exitCode, String stdout, String stderr,
                         Duration elapsed, boolean timedOut) implements CommandResult {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** The last line of stderr (of stdout when stderr is empty), for one-line failure messages; "exit N" when both are empty. */
    public String lastLine() {
        String text = (stderr.isBlank() ? stdout : stderr).strip();
        return text.isEmpty() ? "exit " + exitCode : text.substring(text.lastIndexOf('\n') + 1);
    }

    // Bean-style getters so Groovy's property syntax (r.exitCode) works on every Groovy version.
    public int getExitCode() {
        return exitCode;
    }

    public String getStdout() {
        return stdout;
    }

    public String getStderr() {
        return stderr;
    }

    @Override
    public String summary() {
        String status = timedOut ? "timed out" : "exit " + exitCode;
        return status + " in " + Durations.format(elapsed) + " on " + host + ": " + command;
    }

    @Override
    public List<String> actions() {
        return List.of(host + "$ " + command);
    }

    @Override
    public String toString() {
        return summary();
    }
}
