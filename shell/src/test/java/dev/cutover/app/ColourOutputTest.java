package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch output is coloured when standard output is a terminal, and only then: decided on stdout
 * itself (Jansi), so a run whose stdin is redirected still gets colours on screen, while a pipe or a
 * file never gets escape codes.
 */
class ColourOutputTest {
    private static final String ESC = "\u001b[";
    private static final String RUNBOOK = "# Colours\n\n## One\n\n```groovy\nprintln 'hello'\n```\n";

    @TempDir
    Path dir;

    @Test
    void aTerminalOnStdoutGetsColoursEvenWhenStdinIsRedirected() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        String out = underTerminal(Map.of(), "run", "rb.md", "--transcript", "t.md");
        assertTrue(out.contains("hello"), out);
        assertTrue(out.contains(ESC), "no ANSI colour on a terminal: " + out);
        assertTrue(out.contains("✔"), "UTF-8 reaches the terminal intact: " + out);
    }

    @Test
    void noColourForNoColorOrAPipe() throws Exception {
        Cli.write(dir, "rb.md", RUNBOOK);
        String noColor = underTerminal(Map.of("NO_COLOR", "1"), "run", "rb.md", "--transcript", "t1.md");
        assertTrue(noColor.contains("hello"), noColor);
        assertFalse(noColor.contains(ESC), noColor);

        ProcessBuilder pb = Cli.builder(dir, "run", "rb.md", "--transcript", "t2.md");
        pb.environment().put("TERM", "xterm-256color");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String piped = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), piped);
        assertTrue(piped.contains("✔ ok"), piped);
        assertFalse(piped.contains(ESC), piped);
    }

    /** Runs the CLI with a pseudo-terminal as stdout (util-linux script) and /dev/null as stdin. */
    private String underTerminal(Map<String, String> env, String... args) throws Exception {
        String command = Cli.builder(dir, args).command().stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" ")) + " < /dev/null";
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TERM", "xterm-256color");
        pb.environment().putAll(env);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
