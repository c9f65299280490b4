package dev.cutover.runbook;

import dev.cutover.spi.Durations;
import java.time.Duration;

/**
 * Flags from a step's info string.
 *
 * @param confirm         always ask before running
 * @param always          re-run on resume (connections and other session state)
 * @param manual          not run in batch mode
 * @param continueOnError a failure does not stop the run
 * @param timeout         cancel the step after this long; null = no limit
 * @param retry           extra attempts after a failure
 */
public record StepFlags(boolean confirm, boolean always, boolean manual, boolean continueOnError,
                        Duration timeout, int retry) {

    public static final StepFlags NONE = new StepFlags(false, false, false, false, null, 0);

    /** The flags as written in an info string, for listings. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (confirm) sb.append("confirm ");
        if (always) sb.append("always ");
        if (manual) sb.append("manual ");
        if (continueOnError) sb.append("continue-on-error ");
        if (timeout != null) sb.append("timeout=").append(Durations.format(timeout)).append(' ');
        if (retry > 0) sb.append("retry=").append(retry).append(' ');
        return sb.toString().trim();
    }
}
