package dev.cutover.runbook;

import dev.cutover.spi.Durations;
import java.time.Duration;
import java.util.List;

/**
 * The info string of a fenced block: {@code groovy id=promote confirm timeout=5m} or
 * {@code sql old continue-on-error}. Unknown words in a runnable block are errors: a misspelt
 * {@code confirm} must not silently run a dangerous step without asking.
 */
record InfoString(StepKind kind, String target, String id, StepFlags flags) {
    static final List<String> FLAG_WORDS = List.of("confirm", "always", "manual", "continue-on-error");

    /** Null when the block is not runnable (other languages, no info string). */
    static InfoString parse(String info, SourceLocation fence, String fenceLine) {
        if (info == null || info.isBlank()) return null;
        String[] words = info.trim().split("\\s+");
        StepKind kind = switch (words[0]) {
            case "groovy" -> StepKind.GROOVY;
            case "sql" -> StepKind.SQL;
            default -> null;
        };
        if (kind == null) return null;
        int i = 1;
        String target = null;
        if (kind == StepKind.SQL) {
            if (words.length < 2 || words[1].contains("=") || FLAG_WORDS.contains(words[1])) {
                throw new RunbookException(fence,
                        "a sql block names the server variable it runs on: ```sql old", fenceLine);
            }
            target = words[1];
            if (!target.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new RunbookException(fence, "sql block target '" + target + "' is not a variable name", fenceLine);
            }
            i = 2;
        }
        boolean confirm = false, always = false, manual = false, continueOnError = false;
        Duration timeout = null;
        int retry = 0;
        String id = null;
        for (; i < words.length; i++) {
            String w = words[i];
            int eq = w.indexOf('=');
            if (eq > 0) {
                String key = w.substring(0, eq);
                String value = w.substring(eq + 1);
                switch (key) {
                    case "id" -> {
                        if (!value.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*") || value.matches("\\d+")) {
                            throw new RunbookException(fence, "step id '" + value
                                    + "' must be letters, digits, '-', '_' or '.', and not a bare number", fenceLine);
                        }
                        id = value;
                    }
                    case "timeout" -> timeout = timeout(value, fence, fenceLine);
                    case "retry" -> {
                        if (!value.matches("\\d{1,3}")) {
                            throw new RunbookException(fence, "retry=" + value + " is not a count (retry=2)", fenceLine);
                        }
                        retry = Integer.parseInt(value);
                    }
                    default -> throw new RunbookException(fence, "unknown setting '" + key
                            + "' in the info string (known: id=, timeout=, retry=)", fenceLine);
                }
            } else {
                switch (w) {
                    case "confirm" -> confirm = true;
                    case "always" -> always = true;
                    case "manual" -> manual = true;
                    case "continue-on-error" -> continueOnError = true;
                    default -> throw new RunbookException(fence, "unknown flag '" + w
                            + "' in the info string (known: " + String.join(", ", FLAG_WORDS) + ", id=, timeout=, retry=)",
                            fenceLine);
                }
            }
        }
        return new InfoString(kind, target, id, new StepFlags(confirm, always, manual, continueOnError, timeout, retry));
    }

    /** A step's time limit; zero would fail every step before it starts, so it is an error here, not at run time. */
    private static Duration timeout(String value, SourceLocation fence, String fenceLine) {
        Duration limit;
        try {
            limit = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new RunbookException(fence, "timeout=" + value + ": " + e.getMessage(), fenceLine);
        }
        if (limit.isZero() || limit.isNegative()) {
            throw new RunbookException(fence, "timeout=" + value
                    + " is no time at all: give the step a limit longer than zero (timeout=30s)", fenceLine);
        }
        return limit;
    }
}
