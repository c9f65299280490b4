package dev.cutover.ui;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import dev.cutover.spi.Command;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.StepStatus;
import dev.cutover.runbook.Runbook;
import dev.cutover.transcript.SessionInfo;
import dev.cutover.transcript.TranscriptWriter;

/**
 * The interactive shell (JShell's "tool" to the notebook's "engine"): reads lines, runs controls
 * and Groovy, keeps the transcript and the status line.
 */
public final class Repl {
    /** What the shell needs from the command line. */
    public record Config(Runbook runbook, Map<String, String> params, Map<String, String> paramsFile, Path transcript,
                         boolean dryRun, boolean trace, String version, String operator, String machine, Path history) {
    }

    /** Builds the SessionInfo for a transcript; app supplies it so the ui does not know param rules. */
    public interface Sessions {
        SessionInfo info(Runbook runbook, Instant at);

        Map<String, String> resolveParams(Runbook runbook, dev.cutover.engine.Prompter prompter);

        Set<String> secretNames(Runbook runbook);

        Path defaultTranscript(Runbook runbook, Instant at);
    }

    private final Terminal terminal;
    private final Config config;
    private final Sessions sessions;
    private final Notebook notebook;
    private final LineReader reader;
    private final ConsolePrinter printer;
    private final StatusLine status;
    private TranscriptWriter transcript;
    private boolean configuredTranscriptUsed;
    private boolean exit;

    public Repl(Terminal terminal, Config config, Sessions sessions, Notebook notebook) {
        this.terminal = terminal;
        this.config = config;
        this.sessions = sessions;
        this.notebook = notebook;
        notebook.setDryRun(config.dryRun());
        Set<String> builtinNames = new LinkedHashSet<>();
        for (Command c : notebook.registry().all()) {
            builtinNames.add(c.name());
            builtinNames.add(c.hyphenated());
        }
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("cutover")
                .parser(new InputParser())
                .completer(new ShellCompleter(notebook, Controls.NAMES))
                .highlighter(new GroovyHighlighter(builtinNames, notebook.redactor()::maskInPlace))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P   ...> ")
                .variable(LineReader.INDENTATION, 2)
                .option(LineReader.Option.INSERT_BRACKET, false)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (config.history() != null) {
            RedactingHistory.ownerOnly(config.history());
            b.variable(LineReader.HISTORY_FILE, config.history());
        }
        b.history(new RedactingHistory(notebook.redactor()::redact));
        this.reader = b.build();
        notebook.setPrompter(new TerminalPrompter(reader));
        boolean colour = !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
        this.printer = new ConsolePrinter(terminal.writer(), colour, 0);
        if (colour) printer.progressInPlace(terminal::getWidth);
        printer.setTrace(config.trace());
        this.status = new StatusLine(terminal, notebook);
        notebook.addListener(printer);
    }

    /** The system terminal. */
    public static Terminal systemTerminal() throws IOException {
        return TerminalBuilder.builder().system(true).name("cutover").build();
    }

    public Notebook notebook() {
        return notebook;
    }

    ConsolePrinter printer() {
        return printer;
    }

    LineReader reader() {
        return reader;
    }

    Config config() {
        return config;
    }

    void exitShell() {
        exit = true;
    }

    /** Runs the loop until /exit or Ctrl-D; returns the exit code. */
    public int run() throws IOException {
        PrintWriter w = terminal.writer();
        w.println("cutover " + config.version() + " — /help for controls, Tab completes, Ctrl-C cancels a running step, Ctrl-D exits.");
        w.flush();
        terminal.handle(Terminal.Signal.INT, sig -> {
            if (notebook.cancelCurrent()) {
                terminal.writer().println("  ^C cancelling the running step (Ctrl-C again to force)");
                terminal.writer().flush();
            }
        });
        try {
            open(config.runbook(), config.params());
        } catch (RuntimeException e) {
            printer.error(e.getMessage());
        }
        Controls controls = new Controls(this);
        try {
            while (!exit) {
                String line;
                try {
                    status.idle();
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    w.println("(nothing running: /exit or Ctrl-D to leave)");
                    w.flush();
                    continue;
                } catch (EndOfFileException e) {
                    if (confirmExit()) break;
                    continue;
                }
                if (line == null || line.isBlank()) continue;
                String trimmed = line.strip();
                try {
                    if (trimmed.startsWith("/")) {
                        controls.run(trimmed);
                    } else {
                        status.running();
                        notebook.eval(line);
                    }
                } catch (RuntimeException e) {
                    printer.error(e.getMessage() == null ? e.toString() : e.getMessage());
                } finally {
                    status.idle();
                }
            }
        } finally {
            status.close();
            closeTranscript();
            notebook.close();
        }
        return 0;
    }

    /** Opens a runbook (or an ad-hoc session when null) with its params and a new transcript. */
    void open(Runbook runbook, Map<String, String> given) {
        Instant now = Instant.now();
        if (runbook != null) {
            Map<String, String> values = sessions.resolveParams(runbook, notebook.prompter());
            notebook.setParams(values, sessions.secretNames(runbook));
            notebook.open(runbook);
            printer.info("opened " + runbook.displayName() + ": " + runbook.title() + " — " + runbook.steps().size()
                    + " steps. /steps lists them, /next runs the next one.");
        }
        closeTranscript();
        // --transcript names the first session's file only; a runbook opened later gets a new one.
        Path path = configuredTranscriptUsed ? null : config.transcript();
        configuredTranscriptUsed = true;
        try {
            if (path == null) path = sessions.defaultTranscript(runbook, now);
            transcript = TranscriptWriter.create(path, sessions.info(runbook, now)).redacting(notebook.redactor()::redact);
            notebook.addListener(transcript);
            printer.info("transcript: " + path);
        } catch (IOException | java.io.UncheckedIOException e) {
            printer.error("cannot write the transcript " + path + ": " + e.getMessage());
        }
    }

    TranscriptWriter transcript() {
        return transcript;
    }

    private void closeTranscript() {
        if (transcript == null) return;
        notebook.removeListener(transcript);
        try {
            var tally = new java.util.EnumMap<StepStatus, Long>(StepStatus.class);
            if (notebook.runbook() != null) {
                notebook.runbook().steps().forEach(s -> tally.merge(notebook.state(s).status(), 1L, Long::sum));
            }
            transcript.sessionEnded("closed", tally, Instant.now(), java.time.Duration.ZERO);
            transcript.close();
        } catch (IOException | RuntimeException e) {
            printer.error("closing the transcript: " + e.getMessage());
        }
        transcript = null;
    }

    private String prompt() {
        Runbook rb = notebook.runbook();
        String frozen = frozenFor();
        if (rb == null) return "cutover" + (frozen.isEmpty() ? "" : "[" + frozen + "]") + "> ";
        long done = rb.steps().stream().filter(s -> notebook.state(s).status().done()).count();
        return "cutover[" + done + "/" + rb.steps().size() + (frozen.isEmpty() ? "" : " " + frozen) + "]> ";
    }

    /** "FROZEN 4.2s" while writes are frozen, so nobody forgets an open window. */
    String frozenFor() {
        var since = notebook.sessionState(dev.cutover.freeze.Freezes.class, dev.cutover.freeze.Freezes::new).frozenSince();
        return since.map(t -> "FROZEN " + dev.cutover.spi.Durations.format(java.time.Duration.between(t, Instant.now()))).orElse("");
    }

    private boolean confirmExit() {
        Runbook rb = notebook.runbook();
        if (rb == null) return true;
        long done = rb.steps().stream().filter(s -> notebook.state(s).status().done()).count();
        if (done == 0 || done == rb.steps().size()) return true;
        return notebook.prompter().confirm((rb.steps().size() - done) + " step(s) of " + rb.displayName()
                + " are not done; exit anyway?");
    }

    static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
