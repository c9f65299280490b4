package dev.cutover.transcript;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.cutover.spi.OutputKind;
import dev.cutover.spi.RecordedEvent;
import dev.cutover.render.EventLine;
import dev.cutover.engine.NotebookListener;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepStatus;
import dev.cutover.spi.Durations;
import dev.cutover.runbook.Step;

/**
 * Writes the Markdown transcript event by event. Every structural event is flushed and fsynced,
 * so a {@code kill -9} loses at most the event in flight; output lines are flushed as they come.
 * Input is already redacted by the notebook.
 *
 * <p>Only this class writes events. Everything else it records comes from the runbook's world and
 * goes through {@link UntrustedText} first, so no output, note, title or value can forge one.
 */
public final class TranscriptWriter implements NotebookListener, Closeable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String OUTPUT_FENCE = "~~~~~~";
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    private final Path path;
    private final FileOutputStream out;
    private boolean outputOpen;
    /** Masks secrets in the runbook text the writer copies itself (a step's code); the rest arrives redacted. */
    private java.util.function.UnaryOperator<String> redact = s -> s;
    private long lastProgress;
    private String pendingProgress;

    private TranscriptWriter(Path path, boolean append) throws IOException {
        this.path = path;
        if (path.toAbsolutePath().getParent() != null) Files.createDirectories(path.toAbsolutePath().getParent());
        this.out = new FileOutputStream(path.toFile(), append);
    }

    /** A new transcript with its header. */
    public static TranscriptWriter create(Path path, SessionInfo info) throws IOException {
        TranscriptWriter w = new TranscriptWriter(path, false);
        w.header(info);
        return w;
    }

    /**
     * Continues an existing transcript. A step that was running when the process died left its
     * output fence open: close it first so the rest of the document renders.
     */
    public static TranscriptWriter append(Path path, SessionInfo info, boolean closeOpenFence) throws IOException {
        TranscriptWriter w = new TranscriptWriter(path, true);
        if (closeOpenFence) w.write("\n" + OUTPUT_FENCE + "\n");
        w.write("\n---\n\n## Resumed " + TIME.format(info.started()) + "\n\n");
        w.event(Event.SessionStarted.of(info, true));
        w.write("Resumed by " + UntrustedText.line(info.operator() + " on " + info.machine() + " with cutover " + info.version())
                + (info.params().isEmpty() ? "" : "; params " + paramsText(info.params())) + ".\n");
        w.sync();
        return w;
    }

    public Path path() {
        return path;
    }

    /** Masks what the writer copies from the runbook (step code) with the session's secrets. */
    public TranscriptWriter redacting(java.util.function.UnaryOperator<String> redactor) {
        this.redact = redactor;
        return this;
    }

    private void header(SessionInfo info) {
        write("# Transcript: " + UntrustedText.line(info.runbookTitle()) + "\n\n");
        event(Event.SessionStarted.of(info, false));
        write("| | |\n|---|---|\n");
        write("| Runbook | `" + cellSafe(info.runbookPath()) + "` |\n");
        write("| sha-256 | `" + cellSafe(info.runbookSha()) + "` |\n");
        write("| Params | " + (info.params().isEmpty() ? "none" : paramsText(info.params())) + " |\n");
        write("| Operator | " + cellSafe(info.operator() + " on " + info.machine()) + " |\n");
        write("| Started | " + DateTimeFormatter.ISO_INSTANT.format(info.started()) + " |\n");
        write("| cutover | " + cellSafe(info.version() + " (" + info.mode() + (info.dryRun() ? ", dry run" : "") + ")") + " |\n");
        sync();
    }

    private static String paramsText(Map<String, String> params) {
        return params.entrySet().stream().map(e -> "`" + cellSafe(e.getKey() + "=" + e.getValue()) + "`")
                .collect(Collectors.joining(", "));
    }

    /** One line, inside a table cell's code span: no pipe ends the cell, no backtick the span. */
    private static String cellSafe(String s) {
        return UntrustedText.line(s).replace("|", "\\|").replace("`", "'");
    }

    @Override
    public synchronized void stepStarted(Step step, int attempt, boolean outOfOrder, Instant at) {
        closeOutput();
        write("\n## Step " + step.number() + " · " + UntrustedText.line(step.title()) + (attempt > 1 ? " (attempt " + attempt + ")" : "") + "\n\n");
        event(new Event.StepStarted(step.number(), step.id(), step.title(), step.codeSha(), at, attempt, outOfOrder));
        if (outOfOrder) write("*Run out of order: earlier steps were still pending.*\n\n");
        write(codeBlock(step.kind() == dev.cutover.runbook.StepKind.SQL ? "sql" : "groovy", redact.apply(step.code())));
        sync();
    }

    @Override
    public synchronized void output(OutputKind kind, String line) {
        if (kind == OutputKind.PROGRESS) {
            long now = System.nanoTime();
            if (now - lastProgress < PROGRESS_EVERY_NANOS) {
                pendingProgress = line;
                return;
            }
            lastProgress = now;
        }
        pendingProgress = null;
        openOutput();
        String prefix = switch (kind) {
            case ERR -> "! ";
            case WARN -> line.startsWith("warn") ? "" : "warning: ";
            default -> "";
        };
        writeOutput(prefix + line);
        flush();
    }

    @Override
    public synchronized void stepFinished(Step step, StepResult r) {
        closeOutput();
        write("\n");
        event(new Event.StepEnded(step.number(), step.id(), r.status().word(), r.duration().toMillis(), r.started().plus(r.duration()), r.error()));
        statusLine(r);
        sync();
    }

    @Override
    public synchronized void evalStarted(String code, Instant at) {
        closeOutput();
        write("\n### Typed " + TIME.format(at) + "\n\n");
        event(new Event.EvalStarted(at));
        write(codeBlock("groovy", code));
        sync();
    }

    @Override
    public synchronized void evalFinished(String code, StepResult r) {
        closeOutput();
        write("\n");
        event(new Event.EvalEnded(r.status().word(), r.duration().toMillis(), r.error()));
        statusLine(r);
        sync();
    }

    @Override
    public synchronized void note(String text, Instant at) {
        closeOutput();
        write("\n");
        event(new Event.Noted(text, at));
        List<String> lines = UntrustedText.lines(text);
        write("> **Note** " + TIME.format(at) + " — " + lines.get(0) + "\n");
        for (String line : lines.subList(1, lines.size())) write("> " + line + "\n");
        write("\n");
        sync();
    }

    @Override
    public synchronized void event(String type, Map<String, Object> data, Instant at) {
        closeOutput();
        write("\n");
        event(new Event.Recorded(new RecordedEvent(type, at, data)));
        write("*" + type + "*: " + UntrustedText.line(EventLine.fields(data, EventLine.MAX - type.length() - 2)) + "\n");
        sync();
    }

    /** The last line of a session: how it ended and the tally. */
    public synchronized void sessionEnded(String outcome, Map<StepStatus, Long> tally, Instant at, Duration took) {
        closeOutput();
        Map<String, Long> byWord = new LinkedHashMap<>();
        tally.forEach((k, v) -> byWord.put(k.word(), v));
        write("\n---\n\n");
        event(new Event.SessionEnded(outcome, at, took.toMillis(), byWord));
        write("**Session ended: " + UntrustedText.line(outcome) + "** after " + Durations.format(took) + " · "
                + tally.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().word()).collect(Collectors.joining(", "))
                + "\n");
        sync();
    }

    private void statusLine(StepResult r) {
        write("**Status: " + r.status().word() + "** · " + Durations.format(r.duration()) + " · started "
                + TIME.format(r.started()) + "\n");
        if (r.error() != null) {
            write("\n" + codeBlock("text", r.error()));
        }
        if (!r.lines().isEmpty()) {
            write("\n" + codeBlock("text", String.join("\n", r.lines())));
        }
        if (!r.actions().isEmpty()) {
            write("\nActions:\n\n");
            for (String a : r.actions()) write("- `" + UntrustedText.line(a).replace("`", "'") + "`\n");
        }
    }

    private void openOutput() {
        if (!outputOpen) {
            write("\n" + OUTPUT_FENCE + " output\n");
            outputOpen = true;
        }
    }

    private void closeOutput() {
        if (outputOpen) {
            if (pendingProgress != null) writeOutput(pendingProgress);
            pendingProgress = null;
            write(OUTPUT_FENCE + "\n");
            outputOpen = false;
        }
    }

    /** Output inside our output fence: each of its lines inert, and none able to close the fence. */
    private void writeOutput(String text) {
        for (String line : UntrustedText.lines(text)) write(fenceSafe(line) + "\n");
    }

    /** A line that could close our output fence is indented past fence range. */
    private static String fenceSafe(String line) {
        return line.strip().startsWith("~~~") ? "    " + line : line;
    }

    /** A fenced block whose fence is longer than any backtick run inside; its lines inert. */
    static String codeBlock(String info, String text) {
        String content = UntrustedText.block(text);
        int longest = 0;
        int run = 0;
        for (char c : content.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + info + "\n" + content + (content.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    private void event(Event e) {
        write(EventCodec.encode(e.type(), e.data()) + "\n\n");
    }

    private void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write transcript " + path + ": " + e.getMessage(), e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sync() {
        try {
            out.flush();
            out.getChannel().force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync transcript " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closeOutput();
        sync();
        out.close();
    }
}
