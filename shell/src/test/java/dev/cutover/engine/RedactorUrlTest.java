package dev.cutover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cutover.pg.ConnInfo;
import org.junit.jupiter.api.Test;

/** Passwords in URL user-info are masked whole, whatever characters they hold. */
class RedactorUrlTest {
    private final Redactor r = new Redactor();

    @Test
    void passwordsWithAtColonAndBangAreMaskedWhole() {
        assertEquals("postgresql://u:******@h/db", r.redact("postgresql://u:p@ss@h/db"));
        assertEquals("postgresql://u:******@h:5432/db", r.redact("postgresql://u:a:b!c@h:5432/db"));
        assertEquals("url: 'postgresql://u:******@h:5432/db', ssh: 'postgres@h2'",
                r.redact("url: 'postgresql://u:x@y!z@h:5432/db', ssh: 'postgres@h2'"));
        assertEquals("\"postgresql://u:******@h\"", r.redact("\"postgresql://u:q\"w@h\""));
    }

    @Test
    void connInfoParsesTheHostAfterTheLastAtAndMasksItsMessage() {
        ConnInfo c = ConnInfo.parse("postgresql://app:p@ss:w!rd@db1:5433/appdb");
        assertEquals("p@ss:w!rd", c.password());
        assertEquals("db1", c.host());
        assertEquals(5433, c.port());
        assertFalse(ConnInfo.mask("postgresql://app:p@ss:w!rd@db1:5433/appdb").contains("w!rd"));
    }
}
