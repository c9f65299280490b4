package dev.cutover.engine;

import java.time.Duration;

/** The state of one step: status, how long its last run took, its last result (null when restored from a transcript). */
public record StepState(StepStatus status, Duration duration, StepResult last) {
    static final StepState PENDING = new StepState(StepStatus.PENDING, null, null);
}
