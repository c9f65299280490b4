package dev.cutover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor r = new Redactor();

    @Test
    void masksPasswordsInUrlsConninfoAndEnvironment() {
        assertEquals("postgresql://app:******@db:5432/x", r.redact("postgresql://app:pa55@db:5432/x"));
        assertEquals("host=db password=****** user=app", r.redact("host=db password=pa55 user=app"));
        assertEquals("PGPASSWORD=****** psql", r.redact("PGPASSWORD=pa55 psql"));
        assertEquals("jdbc:postgresql://db/x?user=a&password=******&ssl=true", r.redact("jdbc:postgresql://db/x?user=a&password=pa55&ssl=true"));
        assertEquals("url: 'postgresql://postgres@127.0.0.1:5413/postgres'", r.redact("url: 'postgresql://postgres@127.0.0.1:5413/postgres'"));
    }

    @Test
    void masksKnownSecretsWhereverTheyAppear() {
        r.add("hunter2");
        r.add("ab"); // too short to mask without destroying ordinary text
        assertEquals("login ****** failed; abc", r.redact("login hunter2 failed; abc"));
    }
}
