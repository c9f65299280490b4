package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InstallTest {
    @Test
    void readsVersionsOfEveryEra() {
        assertEquals(150010, Install.parseVersion("postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)").num());
        assertEquals(130016, Install.parseVersion("postgres (PostgreSQL) 13.16").num());
        assertEquals(90624, Install.parseVersion("postgres (PostgreSQL) 9.6.24").num());
        assertEquals(170000, Install.parseVersion("postgres (PostgreSQL) 17beta1").num());
    }
}
