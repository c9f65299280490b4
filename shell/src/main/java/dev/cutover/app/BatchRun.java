package dev.cutover.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutover.engine.Notebook;
import dev.cutover.freeze.Freezes;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.Command;
import dev.cutover.engine.Prompter;
import dev.cutover.engine.Redactor;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepStatus;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.Step;
import dev.cutover.transcript.TranscriptRecord;
import dev.cutover.transcript.TranscriptWriter;
import dev.cutover.ui.ConsolePrinter;

/** {@code cutover run}: replays a runbook without a human, stops at the first failure, resumes from a transcript. */
final class BatchRun {
    static final int OK = 0, FAILED = 1, USAGE = 2, INTERRUPTED = 130;

    record Options(Map<String, String> params, Path paramsFile, boolean yes, boolean dryRun, Path transcript,
                   Path resume, String from, String until, boolean force, boolean trace, Path report) {
    }

    private final PrintWriter out;
    private final boolean colour;
    private final boolean terminal;

    /** @param terminal stdout is a terminal: progress updates one line in place instead of periodic lines */
    BatchRun(PrintWriter out, boolean colour, boolean terminal) {
        this.out = out;
        this.colour = colour;
        this.terminal = terminal;
    }

    int run(Runbook runbook, Options o) throws IOException {
        Notebook notebook = new Notebook(Builtins.registry(), Prompter.batch(o.yes()));
        notebook.groovy().keepCompiledBlocks();
        UnfreezeAtExit.JVM.watch(notebook);
        try {
            return replay(runbook, o, notebook);
        } finally {
            UnfreezeAtExit.JVM.unwatch(notebook);
        }
    }

    private int replay(Runbook runbook, Options o, Notebook notebook) throws IOException {
        Instant started = Instant.now();
        notebook.setDryRun(o.dryRun());
        ConsolePrinter printer = new ConsolePrinter(out, colour, runbook.steps().size());
        printer.setTrace(o.trace());
        if (terminal) printer.progressInPlace(AnsiStdout::columns);

        // Compile everything first: a syntax error in step 9 must not surface after steps 1-8 changed things.
        for (Step s : runbook.steps()) notebook.compile(s);

        TranscriptRecord previous = o.resume() == null ? null : readTranscript(o.resume());
        Map<String, String> fromFile = o.paramsFile() == null ? Map.of() : Params.readFile(o.paramsFile());
        Map<String, String> given = new LinkedHashMap<>();
        if (previous != null) given.putAll(recordedParams(runbook, previous));
        given.putAll(o.params());
        Map<String, String> values = Params.resolve(runbook, given, fromFile, null);
        notebook.setParams(values, Params.secretNames(runbook));
        for (String weak : notebook.weakSecrets()) printer.warn(Params.weakSecretWarning(weak));
        notebook.open(runbook);

        int first = 0;
        int last = runbook.steps().size() - 1;
        if (o.from() != null) first = find(runbook, o.from(), "--from").number() - 1;
        if (o.until() != null) last = find(runbook, o.until(), "--until").number() - 1;
        if (last < first) {
            throw new UsageException("--from " + o.from() + " --until " + o.until() + ": step " + (last + 1)
                    + " comes before step " + (first + 1) + "; nothing would run");
        }

        ReportFile reportFile = o.report() == null ? null : ReportFile.claim(o.report(), runbook.path(), o.transcript(), o.resume());
        Map<String, String> masked = Params.masked(runbook, values);
        String mode = previous != null ? "batch resume" : "batch";
        FreezeHandles handles = new FreezeHandles();
        if (previous != null) {
            ResumeCheck.sameRunbook(runbook, previous, o.force());
            ResumeCheck.sameMode(previous, o.dryRun());
            String refusal = applyResume(runbook, notebook, previous, o, printer);
            if (refusal != null) {
                printer.error(refusal);
                if (reportFile != null) {
                    // Nothing ran and the transcript is untouched, but a script waiting for the report still gets one.
                    new ReportKeeper(newReport(runbook, masked, mode, o, o.resume(), started, notebook, previous), reportFile, printer::warn)
                            .finish(StepStatus.REFUSED.word(), FAILED, refusal);
                }
                return FAILED;
            }
            handles.restore(notebook, previous);
        }

        Path transcriptPath = o.resume() != null ? o.resume()
                : o.transcript() != null ? TranscriptPaths.fresh(o.transcript(), runbook.path())
                : TranscriptPaths.unique(runbook.path().getFileName().toString(), started);
        var info = Sessions.info(runbook, masked, mode, o.dryRun(), started);
        ReportKeeper keeper = reportFile == null ? null
                : new ReportKeeper(newReport(runbook, masked, mode, o, transcriptPath, started, notebook, previous), reportFile, printer::warn);
        try (TranscriptWriter transcript = previous != null
                ? TranscriptWriter.append(transcriptPath, info, previous.outputFenceOpen())
                : TranscriptWriter.create(transcriptPath, info)) {
            transcript.redacting(notebook.redactor()::redact);
            if (previous != null) {
                previous.unfinished().ifPresent(u -> transcript.event("outcome-unknown",
                    Map.of("n", u.number(), "id", u.id(), "decision", o.yes() && !skippedByFrom(runbook, o, u.number())
                            ? "re-run (--yes)" : "not re-run (--from " + o.from() + ")"), Instant.now()));
            }
            notebook.addListener(transcript);
            notebook.addListener(printer);
            if (keeper != null) {
                notebook.addListener(keeper);
                keeper.start();
            }
            SignalHandlers.onInterrupt(notebook::cancelCurrent, keeper == null ? () -> { } : keeper::interrupted);

            StepStatus outcome = StepStatus.OK;
            String reason = null;
            int code = FAILED;
            try {
                for (int i = 0; i <= last; i++) {
                    Step step = runbook.steps().get(i);
                    // Before --from only the always steps run: they make the session (connections) later steps use.
                    if (i < first && !step.flags().always()) continue;
                    StepStatus recorded = notebook.state(step).status();
                    if (recorded.done() && !step.flags().always()) continue;
                    if (step.flags().manual()) {
                        notebook.skip(step);
                        printer.info("  ↷ manual step: run it in the shell (cutover " + runbook.displayName() + ", then /run " + step.id() + ")");
                        continue;
                    }
                    if (step.flags().confirm() && !o.yes()) {
                        reason = step.label() + " refused at " + step.codeStart() + ": the step is marked confirm; pass --yes to run it in batch";
                        out.println(reason);
                        if (keeper != null) keeper.refused(step, reason);
                        outcome = StepStatus.REFUSED;
                        break;
                    }
                    StepResult r = notebook.runStep(step);
                    handles.record(notebook, transcript);
                    if (r.status() == StepStatus.INTERRUPTED) {
                        outcome = StepStatus.INTERRUPTED;
                        reason = r.error();
                        break;
                    }
                    if (!r.ok()) {
                        outcome = r.status();
                        reason = r.error();
                        if (!step.flags().continueOnError()) break;
                        printer.info("  (continue-on-error: going on)");
                        outcome = StepStatus.OK;
                        reason = null;
                    }
                }
                // The run ends the ordinary way here: freezes still in force stay, for --resume to undo.
                UnfreezeAtExit.JVM.unwatch(notebook);
                Map<StepStatus, Long> tally = new EnumMap<>(StepStatus.class);
                for (Step s : runbook.steps()) tally.merge(notebook.state(s).status(), 1L, Long::sum);
                Duration took = Duration.between(started, Instant.now());
                // A forgotten logical slot keeps WAL until the disk fills: say so while any of cutover's remain.
                for (String w : notebook.sessionState(dev.cutover.replication.Leftovers.class, dev.cutover.replication.Leftovers::new).warnings()) {
                    printer.warn(w);
                    transcript.note("warning: " + w, Instant.now());
                }
                String word = outcome == StepStatus.OK ? "ok" : outcome.word();
                transcript.sessionEnded(word, tally, Instant.now(), took);
                code = switch (outcome) {
                    case OK -> OK;
                    case INTERRUPTED -> INTERRUPTED;
                    default -> FAILED;
                };
                if (keeper != null) keeper.finish(word, code, reason);
                printer.info(summaryLine(word, tally, took) + "  transcript: " + transcriptPath
                        + (reportFile == null ? "" : "  report: " + reportFile.path()));
                // A run that stops inside the window must not end on a line that hides it.
                for (String line : StillFrozen.lines(runbook, notebook, transcriptPath, o)) printer.error(line);
                notebook.close();
                return code;
            } finally {
                // Whatever escaped the loop (a transcript that cannot be written) still leaves a report saying so.
                if (keeper != null) keeper.finish("error", code, reason);
            }
        }
    }

    private static RunReport newReport(Runbook runbook, Map<String, String> masked, String mode, Options o, Path transcript,
                                       Instant started, Notebook notebook, TranscriptRecord previous) {
        RunReport r = new RunReport(runbook, masked, mode, o.dryRun(), transcript.toString(), started, notebook.redactor()::redact);
        if (previous != null) r.earlierRun(previous);
        return r;
    }

    /**
     * Marks what the transcript recorded as done. Returns why the resume must stop (edited steps
     * without --force, an unfinished step without --yes), or null.
     */
    private String applyResume(Runbook runbook, Notebook notebook, TranscriptRecord previous, Options o, ConsolePrinter printer) {
        for (TranscriptRecord.StepRecord rec : previous.steps().values()) {
            Optional<Step> step = runbook.find(String.valueOf(rec.number()));
            if (step.isEmpty()) continue;
            Step s = step.get();
            boolean completed = rec.status().equals("ok") || rec.status().equals("skipped");
            if (completed && (!s.id().equals(rec.id()) || !s.codeSha().equals(rec.sha()))) {
                if (!o.force()) {
                    return "resume refused: " + s.label() + " at " + s.codeStart() + " changed since it ran ok in "
                            + previous.path() + " (its code differs from the recorded sha); check the change, then pass --force to resume anyway";
                }
                printer.info("  " + s.label() + " changed since it ran; --force: treating it as done");
            }
            if (completed) notebook.restoreState(s, StepStatus.ofWord(rec.status()), Duration.ofMillis(rec.millis()));
        }
        Optional<TranscriptRecord.StepRecord> unfinished = previous.unfinished();
        boolean fromPastIt = unfinished.isPresent() && o.from() != null
                && runbook.find(o.from()).map(s -> s.number() > unfinished.get().number()).orElse(false);
        if (unfinished.isPresent() && !o.yes() && !fromPastIt) {
            TranscriptRecord.StepRecord u = unfinished.get();
            boolean last = u.number() >= runbook.steps().size();
            return "resume stopped: Step " + u.number() + " (" + u.id() + ") was running when the last run ended; its outcome is unknown. "
                    + "Check its effects by hand, then pass --yes to run it again"
                    + (last ? " (it is the last step: nothing comes after it)" : ", or --from " + (u.number() + 1) + " to go on after it");
        }
        restoreFreezes(notebook, previous, printer);
        long done = previous.steps().values().stream().filter(r -> r.status().equals("ok") || r.status().equals("skipped")).count();
        printer.info("resuming " + previous.path() + ": " + done + " step(s) already done");
        return null;
    }

    /** Each feature restores what it owns from the earlier run (freezes still in force, snapshots); the operator hears what is still frozen. */
    private static void restoreFreezes(Notebook notebook, TranscriptRecord previous, ConsolePrinter printer) {
        List<RecordedEvent> recorded = previous.recorded();
        CommandContext ctx = notebook.detachedContext();
        for (Command c : notebook.registry().all()) c.resume(recorded, ctx);
        for (var f : notebook.sessionState(Freezes.class, Freezes::new).active()) {
            printer.info("  still frozen from the earlier run: " + f.target() + " (" + f.id() + "); unfreeze() undoes it");
        }
    }

    /** Params recorded in the transcript header, except masked secrets (those must be given again). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> recordedParams(Runbook runbook, TranscriptRecord previous) {
        Map<String, String> m = new LinkedHashMap<>();
        Object p = previous.session().data().get("params");
        if (p instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String name = String.valueOf(k);
                if (v != null && !Redactor.MASK.equals(String.valueOf(v)) && runbook.param(name).isPresent()) {
                    m.put(name, String.valueOf(v));
                }
            });
        }
        return m;
    }

    private static TranscriptRecord readTranscript(Path path) {
        InputFiles.decode(path, "transcript", InputFiles.bytes(path, "transcript", InputFiles.TRANSCRIPT_LIMIT));
        try {
            return TranscriptRecord.read(path);
        } catch (IOException | RuntimeException e) {
            throw new UsageException("--resume " + path + ": " + e.getMessage());
        }
    }

    private static boolean skippedByFrom(Runbook runbook, Options o, int number) {
        return o.from() != null && runbook.find(o.from()).map(s -> s.number() > number).orElse(false);
    }

    private static Step find(Runbook runbook, String key, String option) {
        return runbook.find(key).orElseThrow(() -> new UsageException(option + " " + key + ": no such step in "
                + runbook.displayName() + " (steps 1-" + runbook.steps().size() + " or ids: "
                + String.join(", ", runbook.steps().stream().map(Step::id).toList()) + ")"));
    }

    static String summaryLine(String outcome, Map<StepStatus, Long> tally, Duration took) {
        StringBuilder sb = new StringBuilder(outcome.equals("ok") ? "✔ done" : "✘ stopped (" + outcome + ")");
        sb.append(" in ").append(dev.cutover.spi.Durations.format(took)).append(":");
        for (StepStatus s : List.of(StepStatus.OK, StepStatus.FAILED, StepStatus.REFUSED, StepStatus.INTERRUPTED, StepStatus.SKIPPED, StepStatus.PENDING)) {
            Long n = tally.get(s);
            if (n != null && n > 0) sb.append(' ').append(n).append(' ').append(s.word());
        }
        return sb.toString();
    }
}
