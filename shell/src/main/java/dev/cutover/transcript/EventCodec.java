package dev.cutover.transcript;

import groovy.json.JsonOutput;
import groovy.json.JsonSlurper;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Machine-readable events live in the Markdown as HTML comments, invisible to readers and kept by
 * editors: {@code <!-- cutover:step-end {"n":3,"status":"ok"} -->}. An event is one whole line
 * starting at column 0; the writer makes sure no other text it records can look like one.
 */
public final class EventCodec {
    /** What every event line starts with, and what no recorded text may start a line with. */
    static final String PREFIX = "<!-- cutover:";
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z-]*");
    private static final Pattern LINE = Pattern.compile("<!-- cutover:([a-z][a-z-]*) (\\{.*}) -->[ \\t]*");

    /** An event-shaped line that is not a well-formed event: a damaged or hand-made transcript. */
    public static final class MalformedEventException extends Exception {
        MalformedEventException(String reason) {
            super(reason);
        }
    }

    private EventCodec() {
    }

    private static final java.util.regex.Pattern C1_AND_DEL = java.util.regex.Pattern.compile("[\\x7f-\\x9f]");

    public static String encode(String type, Map<String, ?> data) {
        if (!TYPE.matcher(type).matches()) throw new IllegalArgumentException("not an event type: " + type);
        // No '<' or '>' at all in the payload, so nothing inside can end the comment ("-->", "--!>")
        // or open another; no line separator of any kind, so the event stays one line for every reader.
        // JSON's \\u escapes decode back to the same text.
        String json = JsonOutput.toJson(data)
                .replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        // JSON leaves DEL and C1 (CSI is U+009B) raw: escaped, so a terminal showing the transcript obeys none.
        json = C1_AND_DEL.matcher(json).replaceAll(m -> String.format("\\\\u%04x", (int) m.group().charAt(0)));
        return PREFIX + type + " " + json + " -->";
    }

    /** Whether a line claims to be an event (then it must decode, or the transcript is damaged). */
    static boolean isEventShaped(String line) {
        return line.startsWith(PREFIX);
    }

    /**
     * The event on this line, or empty when the line is not event-shaped (does not start with
     * {@value #PREFIX} at column 0).
     *
     * @throws MalformedEventException the line starts like an event but is not one
     */
    @SuppressWarnings("unchecked")
    public static Optional<TranscriptEvent> decode(String line, int lineNumber) throws MalformedEventException {
        if (!isEventShaped(line)) return Optional.empty();
        Matcher m = LINE.matcher(line);
        if (!line.stripTrailing().endsWith("-->")) throw new MalformedEventException("cut short: no closing -->");
        if (!m.matches()) throw new MalformedEventException("expected <!-- cutover:TYPE {json} --> on one line");
        // JsonSlurper stops after the first value and ignores the rest; the writer writes one object, nothing after it
        if (objectEnd(m.group(2)) != m.group(2).length()) throw new MalformedEventException("text after its JSON object");
        Object data;
        try {
            data = new JsonSlurper().parseText(m.group(2));
        } catch (RuntimeException e) {
            throw new MalformedEventException("its data is not JSON: " + firstLine(e.getMessage()));
        }
        if (!(data instanceof Map<?, ?>)) throw new MalformedEventException("its data is not a JSON object");
        Map<String, Object> fields = (Map<String, Object>) data;
        try {
            return Optional.of(new TranscriptEvent(m.group(1), fields, lineNumber, Event.decode(m.group(1), fields)));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(e.getMessage());
        }
    }

    /** Where the JSON object the text starts with ends (strings and escapes skipped), or -1. */
    private static int objectEnd(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        String first = s.strip().lines().findFirst().orElse("unreadable");
        return first.length() > 80 ? first.substring(0, 79) + "…" : first;
    }
}
