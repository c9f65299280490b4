package dev.cutover.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a transcript says happened, read back for {@code --resume} and for rendering: the session
 * header, and per step the last recorded status and code sha.
 */
public record TranscriptRecord(Path path, TranscriptEvent session, List<TranscriptEvent> events,
                               Map<Integer, StepRecord> steps, boolean outputFenceOpen) {

    /** The last state recorded for a step. status is "running" when it started and never ended. */
    public record StepRecord(int number, String id, String sha, String status, long millis, String error) {
    }

    public static TranscriptRecord read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<TranscriptEvent> events = new ArrayList<>();
        Map<Integer, StepRecord> steps = new LinkedHashMap<>();
        TranscriptEvent session = null;
        boolean fenceOpen = false;
        boolean inStep = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("~~~~~~")) fenceOpen = !fenceOpen;
            Optional<TranscriptEvent> ev = EventCodec.decode(line, i + 1);
            if (ev.isEmpty()) continue;
            TranscriptEvent e = ev.get();
            events.add(e);
            switch (e.type()) {
                case "session" -> session = e;
                case "step-start" -> {
                    inStep = true;
                    steps.put(e.integer("n"), new StepRecord(e.integer("n"), e.string("id"), e.string("sha"), "running", 0, null));
                }
                case "step-end" -> {
                    inStep = false;
                    StepRecord prev = steps.get(e.integer("n"));
                    steps.put(e.integer("n"), new StepRecord(e.integer("n"), e.string("id"),
                            prev == null ? null : prev.sha(), e.string("status"), e.longValue("ms"), e.string("error")));
                }
                default -> {
                }
            }
        }
        if (session == null) {
            throw new IOException(path + " is not a cutover transcript (no session header)");
        }
        return new TranscriptRecord(path, session, List.copyOf(events), steps, fenceOpen && inStep);
    }

    /** A step that started and has no end: the process died while it ran. */
    public Optional<StepRecord> unfinished() {
        return steps.values().stream().filter(s -> s.status().equals("running")).findFirst();
    }
}
