package dev.cutover.host;

import java.time.Duration;
import java.util.List;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Durations;

/**
 * The outcome of a command run on a host. Groovy reads it as {@code r.exitCode}, {@code r.stdout},
 * {@code r.stderr}.
 */
public record ExecResult(String host, String command, int exitCode, String stdout, String stderr,
                         Duration elapsed, boolean timedOut, boolean ran) implements CommandResult {

    public ExecResult(String host, String command, int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut) {
        this(host, command, exitCode, stdout, stderr, elapsed, timedOut, true);
    }

    /**
     * What a dry run returns instead of running: empty output, exit 0 so a block reading it goes
     * on, and {@code ran == false} (shown as "not run") so nobody mistakes it for evidence.
     */
    public static ExecResult notRun(String host, String command) {
        return new ExecResult(host, command, 0, "", "", Duration.ZERO, false, false);
    }

    public boolean getRan() {
        return ran;
    }

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
        if (!ran) return "not run (dry run) on " + host + ": " + command;
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
