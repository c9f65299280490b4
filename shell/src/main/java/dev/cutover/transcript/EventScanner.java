package dev.cutover.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the events of a transcript. Only the writer makes them: an event is a whole line at column
 * 0 outside fenced code, exactly as {@link EventCodec} encodes it. Event-shaped lines in quoted code
 * or output are text; an event-shaped line elsewhere that does not decode is damage, reported with
 * its file and line rather than skipped, because skipping an event can change what a resume does.
 */
final class EventScanner {
    record Scan(List<TranscriptEvent> events, String openFence) {
    }

    private EventScanner() {
    }

    static Scan scan(String source, String text) throws TranscriptFormatException {
        List<String> lines = TranscriptText.lines(text);
        List<TranscriptEvent> events = new ArrayList<>();
        CodeFences fences = new CodeFences();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!fences.outside(line)) continue;
            try {
                Optional<TranscriptEvent> e = EventCodec.decode(line, i + 1);
                e.ifPresent(events::add);
            } catch (EventCodec.MalformedEventException e) {
                throw notAnEvent(source, i + 1, e.getMessage());
            }
        }
        return new Scan(List.copyOf(events), fences.open());
    }

    static TranscriptFormatException notAnEvent(String source, int line, String reason) {
        return new TranscriptFormatException(source + ":" + line + ": not a cutover event (" + reason + ")");
    }
}
