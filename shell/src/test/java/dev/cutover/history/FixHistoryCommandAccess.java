package dev.cutover.history;

import dev.cutover.pg.Lsn;

/** Test access to FixHistoryCommand's pure helpers. */
public final class FixHistoryCommandAccess {
    private FixHistoryCommandAccess() {
    }

    public static Lsn beforePageHeader(Lsn record, long segSize) {
        return FixHistoryCommand.beforePageHeader(record, segSize);
    }
}
