package dev.cutover.transcript;

import groovy.json.JsonOutput;
import groovy.json.JsonSlurper;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Machine-readable events live in the Markdown as HTML comments, invisible to readers and kept by
 * editors: {@code <!-- cutover:step-end {"n":3,"status":"ok"} -->}.
 */
public final class EventCodec {
    private static final Pattern LINE = Pattern.compile("^<!-- cutover:([a-z-]+) (\\{.*}) -->$");

    private EventCodec() {
    }

    public static String encode(String type, Map<String, ?> data) {
        // "-->" inside a JSON string would end the comment early; \u003e is the same JSON text.
        String json = JsonOutput.toJson(data).replace("-->", "--\\u003e");
        return "<!-- cutover:" + type + " " + json + " -->";
    }

    @SuppressWarnings("unchecked")
    public static Optional<TranscriptEvent> decode(String line, int lineNumber) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches()) return Optional.empty();
        try {
            Object data = new JsonSlurper().parseText(m.group(2));
            return Optional.of(new TranscriptEvent(m.group(1), (Map<String, Object>) data, lineNumber));
        } catch (RuntimeException e) {
            return Optional.empty(); // a hand-damaged event is ignored rather than stopping a resume
        }
    }
}
