package dev.cutover.engine;

/** Where a step stands. */
public enum StepStatus {
    PENDING, OK, FAILED, SKIPPED,
    /** Cancelled by the operator (Ctrl-C); a step past its timeout= FAILED instead. */
    INTERRUPTED,
    /** Declined by the operator or refused by a command's safety check. */
    REFUSED,
    /** Was running when the process died: nobody knows whether it finished. */
    UNKNOWN;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static StepStatus ofWord(String word) {
        return valueOf(word.toUpperCase(java.util.Locale.ROOT));
    }

    public boolean done() {
        return this == OK || this == SKIPPED;
    }
}
