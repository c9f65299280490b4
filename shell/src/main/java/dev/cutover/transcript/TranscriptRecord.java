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

    /** The commands' events ({@code freeze}, {@code snapshot}, ...) in the order they were recorded: what a resume restores from. */
    public List<dev.cutover.spi.RecordedEvent> recorded() {
        return events.stream().map(TranscriptEvent::event).filter(Event.Recorded.class::isInstance)
                .map(e -> ((Event.Recorded) e).event()).toList();
    }

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
            Event ev = e.event();
            if (ev instanceof Event.SessionStarted s && !s.resumed() && session == null) {
                session = e;
            } else if (ev instanceof Event.StepStarted s) {
                inStep = true;
                steps.put(s.n(), new StepRecord(s.n(), s.id(), s.sha(), "running", 0, null));
            } else if (ev instanceof Event.StepEnded s) {
                inStep = false;
                StepRecord prev = steps.get(s.n());
                steps.put(s.n(), new StepRecord(s.n(), s.id(), prev == null ? null : prev.sha(), s.status(), s.ms(), s.error()));
            }
        }
        if (session == null) {
            throw new TranscriptFormatException(path + " is not a cutover transcript (no session header)");
        }
        return new TranscriptRecord(path, session, scan.events(), steps, scan.openFence() != null && inStep);
    }


    /** A step that started and has no end: the process died while it ran. */
    public Optional<StepRecord> unfinished() {
        return steps.values().stream().filter(s -> s.status().equals("running")).findFirst();
    }
}
