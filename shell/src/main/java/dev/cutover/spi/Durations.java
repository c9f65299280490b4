package dev.cutover.spi;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 90}, {@code 90s}, {@code 500ms}, {@code 5m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    /** Parses a duration; a bare number means seconds. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write 30s, 500ms, 5m or 1h)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> value;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            default -> value * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** Accepts a Number (seconds), a Duration or a String. */
    public static Duration of(Object value) {
        if (value instanceof Duration d) return d;
        if (value instanceof Number n) return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        return parse(String.valueOf(value));
    }

    private static final java.time.format.DateTimeFormatter TIME_OF_DAY =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);

    /** A moment as the transcript shows it: {@code 12:00:01Z} (UTC). */
    public static String timeOfDay(java.time.Instant at) {
        return TIME_OF_DAY.format(at);
    }

    /** Short human form: 850ms, 12.3s, 4m05s, 1h02m. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) {
            return (ms % 1000 == 0) ? (ms / 1000) + "s" : String.format("%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) return s % 60 == 0 ? (s / 60) + "m" : String.format("%dm%02ds", s / 60, s % 60);
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
