package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import dev.cutover.history.FixHistoryCommandAccess;

class TimelineHistoryTest {
    @Test
    void parsesPostgresOwnFilesBlankLineIncludedAndExtendsThem() {
        TimelineHistory two = TimelineHistory.parse(3, "1\t0/4000000\tno recovery target specified\n\n2\t0/7000000\tno recovery target specified\n");
        assertEquals(2, two.entries().size());
        TimelineHistory four = two.plus(4, new TimelineHistory.Entry(3, Lsn.parse("0/9000028"), "recreated"));
        assertEquals("1\t0/4000000\tno recovery target specified\n2\t0/7000000\tno recovery target specified\n3\t0/9000028\trecreated\n", four.text());
        assertEquals("0000000A.history", TimelineHistory.fileName(10));
    }

    @Test
    void rejectsBrokenFiles() {
        assertThrows(IllegalArgumentException.class, () -> TimelineHistory.parse(2, "garbage\n"));
        assertThrows(IllegalArgumentException.class, () -> TimelineHistory.parse(3, "2\t0/1\tx\n1\t0/2\ty\n"));
        assertThrows(IllegalArgumentException.class, () -> TimelineHistory.parse(2, ""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimelineHistory.parse(2, "1\tnot-an-lsn\tx\n")).getMessage().contains("line 1"));
    }

    @Test
    void theSwitchPointOfARecordThatFollowsAPageHeaderIsThePageBoundary() {
        long seg = 16L << 20;
        assertEquals(Lsn.parse("0/C000000"), FixHistoryCommandAccess.beforePageHeader(Lsn.parse("0/C000028"), seg));
        assertEquals(Lsn.parse("0/C002000"), FixHistoryCommandAccess.beforePageHeader(Lsn.parse("0/C002018"), seg));
        assertEquals(Lsn.parse("0/C0021A0"), FixHistoryCommandAccess.beforePageHeader(Lsn.parse("0/C0021A0"), seg));
    }
}
