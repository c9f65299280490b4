package dev.cutover.transcript;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.cutover.spi.RecordedEvent;

/**
 * Every kind of event a transcript holds, one record each: the one schema. {@link TranscriptWriter}
 * writes them ({@link #type()} and {@link #data()} on the event line), {@link #decode} reads them
 * back, checking what a resume relies on, so no other class spells an event's name or its fields.
 */
public sealed interface Event {

    /** The name on the event line ({@code <!-- cutover:step-end {...} -->}). */
    String type();

    /** The JSON object on the event line. */
    Map<String, Object> data();

    /** A session began ({@code session}) or an earlier one was resumed into the same file ({@code resume}). */
    record SessionStarted(boolean resumed, Map<String, Object> info) implements Event {
        /** The field holding the runbook's absolute real path ({@link SessionInfo#runbookRealPath()}). */
        public static final String REAL_PATH = "runbookRealPath";

        static SessionStarted of(SessionInfo i, boolean resumed) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("runbook", i.runbookPath());
            // Since transcripts named only the runbook as typed, a same-named, same-titled runbook elsewhere (prod's,
            // beside staging's) passed for this one; older transcripts lack the field and are still read.
            if (i.runbookRealPath() != null) d.put(REAL_PATH, i.runbookRealPath());
            d.put("title", i.runbookTitle());
            d.put("sha256", i.runbookSha());
            d.put("params", i.params());
            d.put("operator", i.operator());
            d.put("machine", i.machine());
            d.put("started", i.started().toString());
            d.put("version", i.version());
            d.put("mode", i.mode());
            d.put("dryRun", i.dryRun());
            return new SessionStarted(resumed, d);
        }

        @Override
        public String type() {
            return resumed ? "resume" : "session";
        }

        @Override
        public Map<String, Object> data() {
            return info;
        }
    }

    record StepStarted(int n, String id, String title, String sha, Instant at, int attempt, boolean outOfOrder) implements Event {
        @Override
        public String type() {
            return "step-start";
        }

        @Override
        public Map<String, Object> data() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("n", n);
            d.put("id", id);
            d.put("title", title);
            d.put("sha", sha);
            d.put("at", String.valueOf(at));
            d.put("attempt", attempt);
            d.put("outOfOrder", outOfOrder);
            return d;
        }
    }

    /** @param at when it ended; @param error null when it went well */
    record StepEnded(int n, String id, String status, long ms, Instant at, String error) implements Event {
        @Override
        public String type() {
            return "step-end";
        }

        @Override
        public Map<String, Object> data() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("n", n);
            d.put("id", id);
            d.put("status", status);
            d.put("ms", ms);
            d.put("at", String.valueOf(at));
            if (error != null) d.put("error", error);
            return d;
        }
    }

    record EvalStarted(Instant at) implements Event {
        @Override
        public String type() {
            return "eval-start";
        }

        @Override
        public Map<String, Object> data() {
            return Map.of("at", String.valueOf(at));
        }
    }

    record EvalEnded(String status, long ms, String error) implements Event {
        @Override
        public String type() {
            return "eval-end";
        }

        @Override
        public Map<String, Object> data() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", status);
            d.put("ms", ms);
            if (error != null) d.put("error", error);
            return d;
        }
    }

    record Noted(String text, Instant at) implements Event {
        @Override
        public String type() {
            return "note";
        }

        @Override
        public Map<String, Object> data() {
            return Map.of("text", text, "at", String.valueOf(at));
        }
    }

    /** What a command (or the shell) recorded: freezes, snapshots, freeze handles, an unknown outcome. */
    record Recorded(RecordedEvent event) implements Event {
        @Override
        public String type() {
            return "event";
        }

        @Override
        public Map<String, Object> data() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("type", event.type());
            d.put("at", String.valueOf(event.at()));
            d.put("data", event.data());
            return d;
        }
    }

    /** @param tally steps by status word ("ok" → 5) */
    record SessionEnded(String outcome, Instant at, long ms, Map<String, Long> tally) implements Event {
        @Override
        public String type() {
            return "session-end";
        }

        @Override
        public Map<String, Object> data() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("outcome", outcome);
            d.put("at", String.valueOf(at));
            d.put("ms", ms);
            d.putAll(tally);
            return d;
        }
    }

    /** An event of a kind this version does not know (a newer writer's): kept, never acted on. */
    record Unknown(String type, Map<String, Object> data) implements Event {
    }

    /**
     * The event a line's type and data stand for.
     *
     * @throws IllegalArgumentException what a resume relies on is missing or malformed (the reason)
     */
    @SuppressWarnings("unchecked")
    static Event decode(String type, Map<String, Object> d) {
        return switch (type) {
            case "session", "resume" -> new SessionStarted(type.equals("resume"), d);
            case "step-start" -> new StepStarted(stepNumber(type, d), text(d, "id"), text(d, "title"), text(d, "sha"), instant(d), integer(d, "attempt", 1),
                    Boolean.TRUE.equals(d.get("outOfOrder")));
            case "step-end" -> {
                if (!(d.get("status") instanceof String status)) throw new IllegalArgumentException("step-end without a status");
                yield new StepEnded(stepNumber(type, d), text(d, "id"), status, number(d, "ms"), instant(d), text(d, "error"));
            }
            case "eval-start" -> new EvalStarted(instant(d));
            case "eval-end" -> new EvalEnded(text(d, "status"), number(d, "ms"), text(d, "error"));
            case "note" -> new Noted(text(d, "text"), instant(d));
            case "event" -> new Recorded(new RecordedEvent(text(d, "type"), instant(d),
                    d.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
            case "session-end" -> {
                Map<String, Long> tally = new LinkedHashMap<>();
                d.forEach((k, v) -> {
                    if (!k.equals("ms") && v instanceof Number n) tally.put(k, n.longValue());
                });
                yield new SessionEnded(text(d, "outcome"), instant(d), number(d, "ms"), tally);
            }
            default -> new Unknown(type, d);
        };
    }

    private static int stepNumber(String type, Map<String, Object> d) {
        if (d.get("n") instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() > 0) return n.intValue();
        throw new IllegalArgumentException(type + " without a step number");
    }

    private static String text(Map<String, Object> d, String key) {
        Object v = d.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static long number(Map<String, Object> d, String key) {
        return d.get(key) instanceof Number n ? n.longValue() : 0L;
    }

    private static int integer(Map<String, Object> d, String key, int fallback) {
        return d.get(key) instanceof Number n ? n.intValue() : fallback;
    }

    /** The event's time, or null when it has none or an unreadable one (rendering skips it; nothing acts on it). */
    private static Instant instant(Map<String, Object> d) {
        Object v = d.get("at");
        if (v == null) return null;
        try {
            return Instant.parse(String.valueOf(v));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
