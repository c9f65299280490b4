package dev.cutover.spi;

/** How a line of output is shown: plain, from a remote stderr, an informational or warning line, progress. */
public enum OutputKind {
    OUT, ERR, INFO, WARN, PROGRESS
}
