package dev.cutover.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What running a step (or a typed line) produced.
 *
 * @param value   the Groovy value (not recorded; the rendered lines are)
 * @param lines   the value rendered as plain text, secrets masked
 * @param actions what commands did, or would do in a dry run
 * @param error   one line, with the runbook location, when it did not succeed
 * @param trace   the full stack trace, shown only with --trace
 */
public record StepResult(StepStatus status, Object value, List<String> lines, List<String> actions,
                         Instant started, Duration duration, String error, String trace) {

    public boolean ok() {
        return status == StepStatus.OK;
    }
}
