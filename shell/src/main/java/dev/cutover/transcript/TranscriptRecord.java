package dev.cutover.transcript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a transcript says happened, read back for {@code --resume} and for rendering: the session
 * header, and per step the last recorded status and code sha. Only events the writer wrote count
 * (see {@link EventScanner}); a damaged one stops the read with its file and line.
 */
public record TranscriptRecord(Path path, TranscriptEvent session, List<TranscriptEvent> events,
                               Map<Integer, StepRecord> steps, boolean outputFenceOpen) {

    /** The last state recorded for a step. status is "running" when it started and never ended. */
    public record StepRecord(int number, String id, String sha, String status, long millis, String error) {
    }

    /**
     * @throws TranscriptFormatException not UTF-8, a damaged event line, or no session header
     */
    public static TranscriptRecord read(Path path) throws IOException {
        return parse(path, TranscriptText.read(path));
    }

    static TranscriptRecord parse(Path path, String text) throws TranscriptFormatException {
        EventScanner.Scan scan = EventScanner.scan(path.toString(), text);
        Map<Integer, StepRecord> steps = new LinkedHashMap<>();
        TranscriptEvent session = null;
        boolean inStep = false;
        for (TranscriptEvent e : scan.events()) {
            switch (e.type()) {
                case "session" -> {
                    if (session == null) session = e;
                }
                case "step-start" -> {
                    int n = stepNumber(path, e);
                    inStep = true;
                    steps.put(n, new StepRecord(n, e.string("id"), e.string("sha"), "running", 0, null));
                }
                case "step-end" -> {
                    int n = stepNumber(path, e);
                    if (!(e.data().get("status") instanceof String status)) {
                        throw EventScanner.notAnEvent(path.toString(), e.line(), "step-end without a status");
                    }
                    inStep = false;
                    StepRecord prev = steps.get(n);
                    steps.put(n, new StepRecord(n, e.string("id"), prev == null ? null : prev.sha(), status,
                            e.longValue("ms"), e.string("error")));
                }
                default -> {
                }
            }
        }
        if (session == null) {
            throw new TranscriptFormatException(path + " is not a cutover transcript (no session header)");
        }
        return new TranscriptRecord(path, session, scan.events(), steps, scan.openFence() != null && inStep);
    }

    private static int stepNumber(Path path, TranscriptEvent e) throws TranscriptFormatException {
        if (e.data().get("n") instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() > 0) return n.intValue();
        throw EventScanner.notAnEvent(path.toString(), e.line(), e.type() + " without a step number");
    }

    /** A step that started and has no end: the process died while it ran. */
    public Optional<StepRecord> unfinished() {
        return steps.values().stream().filter(s -> s.status().equals("running")).findFirst();
    }
}
