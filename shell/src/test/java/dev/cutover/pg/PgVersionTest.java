package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PgVersionTest {
    @Test
    void readsTheVersionADataDirectoryNames() {
        assertEquals(130000, PgVersion.ofDataDirectory("13\n").num());
        assertEquals(90600, PgVersion.ofDataDirectory("9.6\n").num());
        assertEquals("9.6", PgVersion.ofDataDirectory("9.6").majorText());
        assertEquals("pg_xlog", PgVersion.ofDataDirectory("9.6").walDir());
    }
}
