package dev.cutover.runbook;

/** What runs a step's code. */
public enum StepKind {
    /** Evaluated by the Groovy engine in the shared binding. */
    GROOVY,
    /** SQL sent to the server bound to the step's target variable. */
    SQL
}
