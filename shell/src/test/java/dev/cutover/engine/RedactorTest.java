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

    @Test
    void masksAUrlWithAnEmptyUser() {
        // libpq reads this as the default user with a password: the password is as secret as any.
        assertEquals("postgresql://:******@db1/appdb", r.redact("postgresql://:EmptyUserPw-55@db1/appdb"));
        assertEquals("postgresql://:******@db1/appdb", r.maskInPlace("postgresql://:EmptyUserPw-55@db1/appdb").replaceAll("\\*+", "******"));
    }

    @Test
    void masksPrefixedPasswordVariablesAndJsonPasswords() {
        assertEquals("DB_PASSWORD=****** POSTGRES_PASSWORD=******", r.redact("DB_PASSWORD=Pfx-Pw-1 POSTGRES_PASSWORD=Pfx-Pw-2"));
        assertEquals("export app_db_password='******'", r.redact("export app_db_password='Pfx Pw 3'"));
        assertEquals("{\"user\":\"app\",\"password\":\"******\",\"port\":5432}",
                r.redact("{\"user\":\"app\",\"password\":\"Js\\\"onPw-4\",\"port\":5432}"));
        assertEquals("{'password': '******'}", r.redact("{'password': 'Py-Pw-5'}"));
        // ordinary words that merely contain the key are left alone
        assertEquals("passwords: 3, nopassword=1", r.redact("passwords: 3, nopassword=1"));
    }

    @Test
    void theEnvironmentsPgpasswordIsASecret() {
        r.addEnvironment(java.util.Map.of("PGPASSWORD", "EnvPw-77", "HOME", "/home/op"));
        assertEquals("got ****** from /home/op", r.redact("got EnvPw-77 from /home/op"));
        new Redactor().addEnvironment(java.util.Map.of()); // unset: nothing to add, no failure
    }
}
