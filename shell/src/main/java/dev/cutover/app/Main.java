package dev.cutover.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.Prompter;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookException;
import dev.cutover.runbook.RunbookParser;
import dev.cutover.runbook.Step;
import dev.cutover.transcript.HtmlRenderer;
import dev.cutover.transcript.RenderTarget;
import dev.cutover.transcript.TranscriptFormatException;
import dev.cutover.ui.Repl;

/** The command line: wiring only. */
@Command(name = "cutover", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runbook notebook shell for moving and major-upgrading PostgreSQL with minimal downtime.",
        subcommands = {Main.Run.class, Main.Check.class, Main.Render.class, CompletionCommand.class})
public final class Main implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUNBOOK", description = "runbook to open in the shell")
    Path runbook;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "a runbook param")
    List<String> params = new ArrayList<>();

    @Option(names = "--params-file", paramLabel = "FILE", description = "name=value lines (the lab writes one)")
    Path paramsFile;

    @Option(names = "--transcript", paramLabel = "FILE", description = "transcript file (default transcripts/<runbook>-<time>.md)")
    Path transcript;

    @Option(names = "--dry-run", description = "commands list what they would do instead of doing it")
    boolean dryRun;

    @Option(names = "--trace", description = "show full stack traces")
    boolean trace;

    static {
        // picocli looks for groovy.lang.Closure (Groovy closures as annotation values, which we do not use) when
        // it first makes an object, and loading that class starts Groovy's whole runtime on the main thread before
        // any option is parsed: about 90 ms of a one-block run's start-up. The warm-up thread starts it instead.
        if (System.getProperty("picocli.disable.closures") == null) System.setProperty("picocli.disable.closures", "true");
    }

    /** Held so the settings stick: JUL forgets loggers nobody references. */
    private static final java.util.logging.Logger PGJDBC_LOG = java.util.logging.Logger.getLogger("org.postgresql");

    public static void main(String[] args) {
        if (compilesGroovy(args) && !Boolean.getBoolean("cutover.noWarmUp")) dev.cutover.engine.GroovyEngine.warmUpInBackground();
        ExitStatus.install();
        UnfreezeAtExit.JVM.install();
        StdStreams.route();
        int code;
        try {
            code = execute(args);
        } catch (Throwable t) {
            // Errors (out of memory, stack overflow) escape picocli's handler: still one line, no trace.
            boolean trace = java.util.Arrays.asList(args).contains("--trace");
            System.err.println("cutover: internal error: " + t + (trace ? "" : " (run with --trace for details)"));
            if (trace) t.printStackTrace();
            code = BatchRun.FAILED;
        }
        ExitStatus.exit(code);
    }

    /** run, check and the shell compile blocks; render, completion, help and version do not. */
    static boolean compilesGroovy(String[] args) {
        if (args.length == 0) return true;
        return !java.util.Set.of("render", "completion", "--help", "-h", "--version", "-V").contains(args[0]);
    }

    /** Runs the CLI and returns the exit code (tests call this in-process). */
    public static int execute(String... args) {
        // pgjdbc logs through java.util.logging to stderr (e.g. PgBouncer's console version); errors reach us as exceptions.
        PGJDBC_LOG.setLevel(java.util.logging.Level.OFF);
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            boolean trace = parsed.originalArgs().contains("--trace");
            // Password shapes masked here too: a runbook error quotes the runbook's own line (a URL literal
            // with its password), and no session's redactor is left to mask what reaches this handler.
            if (ex instanceof RunbookException re) {
                // The runbook's own line is quoted: its control characters are shown, not obeyed.
                err.println(dev.cutover.render.ControlChars.escape(SHOWN.maskInPlace(re.detailed())));
            } else if (ex instanceof UsageException || ex instanceof NoSuchFileException) {
                err.println(SHOWN.redact(ex instanceof NoSuchFileException ? "no such file: " + ex.getMessage() : ex.getMessage()));
            } else {
                err.println("cutover: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : SHOWN.redact(ex.getMessage())));
                if (trace) ex.printStackTrace(err);
                err.flush();
                return BatchRun.FAILED;
            }
            if (trace) ex.printStackTrace(err);
            err.flush();
            return BatchRun.USAGE;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(ex.getMessage() + " (see: cutover --help)");
            return BatchRun.USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Runbook rb = runbook == null ? null : load(runbook);
        if (rb != null) {
            Notebook check = new Notebook(Builtins.registry(), Prompter.batch(false));
            for (Step s : rb.steps()) check.compile(s);
        }
        var given = Params.parseOptions(params);
        var fromFile = paramsFile == null ? java.util.Map.<String, String>of() : Params.readFile(paramsFile);
        if (transcript != null) TranscriptPaths.fresh(transcript, runbook);
        Path history = Path.of(System.getProperty("user.home"), ".cutover_history");
        var config = new Repl.Config(rb, given, fromFile, transcript, dryRun, trace, Sessions.version(),
                Sessions.operator(), Sessions.machine(), history);
        try (var terminal = Repl.systemTerminal()) {
            Notebook notebook = new Notebook(Builtins.registry(), null);
            notebook.groovy().keepCompiledBlocks();
            Repl repl = new Repl(terminal, config, ShellSessions.of(given, fromFile, dryRun), notebook);
            UnfreezeAtExit.JVM.watch(repl.notebook());
            try {
                return repl.run();
            } finally {
                UnfreezeAtExit.JVM.unwatch(repl.notebook());
            }
        }
    }

    static Runbook load(Path path) {
        if (!Files.exists(path)) throw new UsageException("no such runbook: " + path);
        byte[] bytes = InputFiles.bytes(path, "runbook", InputFiles.RUNBOOK_LIMIT);
        InputFiles.decode(path, "runbook", bytes);
        return new RunbookParser().parse(path, path.toString(), bytes);
    }

    /** A runbook that run or check can act on: one with steps. */
    static Runbook loadWithSteps(Path path) {
        Runbook rb = load(path);
        if (rb.steps().isEmpty()) {
            throw new UsageException(rb.displayName() + ": no steps (a step is a ```groovy or ```sql NAME fenced block)");
        }
        return rb;
    }

    static PrintWriter stdout() {
        return AnsiStdout.writer();
    }

    static boolean colour() {
        return AnsiStdout.colour();
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Replay a runbook in batch: exit 0 all ok, 1 a step failed or was refused, 2 bad usage, 130 interrupted.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUNBOOK", description = "the runbook to replay (Markdown)") Path runbook;
        @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "a runbook param") List<String> params = new ArrayList<>();
        @Option(names = "--params-file", paramLabel = "FILE", description = "name=value lines; -p wins over it") Path paramsFile;
        @Option(names = "--yes", description = "answer yes to confirmations") boolean yes;
        @Option(names = "--dry-run", description = "list what would be done, change nothing") boolean dryRun;
        @Option(names = "--transcript", paramLabel = "FILE", description = "transcript file, must not exist yet (default transcripts/<runbook>-<time>.md)") Path transcript;
        @Option(names = "--resume", paramLabel = "TRANSCRIPT", description = "continue the run this transcript recorded") Path resume;
        @Option(names = "--from", paramLabel = "STEP", description = "start at this step (number or id)") String from;
        @Option(names = "--until", paramLabel = "STEP", description = "stop after this step (number or id)") String until;
        @Option(names = "--force", description = "resume even though completed steps changed") boolean force;
        @Option(names = "--trace", description = "show full stack traces") boolean trace;
        @Option(names = "--report", paramLabel = "FILE.json", description = "also write a JSON report (steps, freezes, summary; docs/report.md), "
                + "kept valid however the run ends; replaces only an earlier report") Path report;

        @Override
        public Integer call() throws Exception {
            if (resume != null && transcript != null) throw new UsageException("--resume appends to its transcript; drop --transcript");
            if (resume != null && !Files.isRegularFile(resume)) throw new UsageException("--resume " + resume + ": no such transcript");
            // A runbook with a session line reads as a transcript: the run would append its record to the runbook.
            if (resume != null && TranscriptPaths.sameFile(resume, runbook)) {
                throw new UsageException("--resume " + resume + " is the runbook itself: name the transcript its earlier run wrote "
                        + "(transcripts/<runbook>-<time>.md by default)");
            }
            Runbook rb = loadWithSteps(runbook);
            return new BatchRun(stdout(), colour(), AnsiStdout.terminal()).run(rb, new BatchRun.Options(Params.parseOptions(params), paramsFile, yes,
                    dryRun, transcript, resume, from, until, force, trace, report));
        }
    }

    /** Masks URL passwords in what check prints of defaults and in errors (no secret values are known there). */
    private static final dev.cutover.engine.Redactor SHOWN = new dev.cutover.engine.Redactor();

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Parse the runbook and compile every block without running anything; list the steps.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUNBOOK", description = "the runbook to check (Markdown)") Path runbook;
        // read by the error handler (parsed.originalArgs()), as in run
        @Option(names = "--trace", description = "show full stack traces") boolean trace;

        @Override
        public Integer call() throws Exception {
            Runbook rb = loadWithSteps(runbook);
            Notebook notebook = new Notebook(Builtins.registry(), Prompter.batch(false));
            // Kept as run keeps them: the run that usually follows a check then starts without compiling.
            notebook.groovy().keepCompiledBlocks();
            for (Step s : rb.steps()) notebook.compile(s);
            PrintWriter out = stdout();
            out.println(rb.displayName() + ": " + rb.title() + " — " + rb.steps().size() + " step(s), "
                    + rb.params().size() + " param(s), all compile");
            int idw = rb.steps().stream().mapToInt(s -> s.id().length()).max().orElse(2);
            for (Step s : rb.steps()) {
                out.printf("%3d  %-" + idw + "s  %-6s  %s%s%n", s.number(), s.id(),
                        s.kind() == dev.cutover.runbook.StepKind.SQL ? "sql:" + s.target() : "groovy", s.title(),
                        s.flags().describe().isEmpty() ? "" : "  [" + s.flags().describe() + "]");
            }
            for (var p : rb.params()) {
                out.println("  param " + p.name() + (p.secret() ? " (secret)" : "")
                        + (p.required() ? " (required)" : " = " + (p.secret() ? "******" : SHOWN.redact(p.defaultValue())))
                        + (p.description() == null ? "" : " — " + p.description()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "render", mixinStandardHelpOptions = true, description = "Render a transcript to one self-contained HTML file.")
    static final class Render implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TRANSCRIPT", description = "a transcript cutover wrote (Markdown)") Path transcript;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE.html", description = "where the HTML goes (default: the transcript's name with .html)") Path output;
        @Option(names = "--force", description = "overwrite an existing output file that cutover did not render") boolean force;
        @Option(names = "--trace", description = "show full stack traces") boolean trace;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(transcript)) throw new UsageException("no such transcript: " + transcript);
            InputFiles.notLarger(transcript, "transcript", InputFiles.TRANSCRIPT_LIMIT);
            Path html = output != null ? output : Path.of(transcript.toString().replaceFirst("\\.md$", "") + ".html");
            var refusal = RenderTarget.check(transcript, html, force);
            if (refusal.isPresent()) {
                throw new UsageException("cutover: " + refusal.get().reason()
                        + (refusal.get().forceOverrides() ? "; pass --force to overwrite it" : ""));
            }
            try {
                new HtmlRenderer().render(transcript, html);
            } catch (TranscriptFormatException e) {
                throw new UsageException("cutover: " + e.getMessage()); // the file given is not a (readable) transcript
            }
            stdout().println("rendered " + transcript + " -> " + html);
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cutover " + Sessions.version()};
        }
    }
}
