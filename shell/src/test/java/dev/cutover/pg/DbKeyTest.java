package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DbKeyTest {
    static final List<String> NAMES = List.of("appdb", "app:eu", "\"quoted\":x", "a/b c", "q\"uo'te\\", "zürich ✓", "50%25=half&more?x", "a+b", ":");

    @Test
    void everyDatabaseNameComesBackOutOfItsKey() {
        for (String db : NAMES) {
            String key = DbKey.of(db, "\"s:1\".\"t:2\"");
            assertEquals(db, DbKey.database(key), key);
            assertEquals("\"s:1\".\"t:2\"", DbKey.object(key), key);
        }
        assertEquals("appdb:public.orders", DbKey.of("appdb", "public.orders"), "plain names keep the keys transcripts already hold");
        assertEquals("\"app:eu\":public.orders", DbKey.of("app:eu", "public.orders"));
    }

    @Test
    void pgjdbcReceivesEveryDatabaseNameUnchanged() {
        ConnInfo base = ConnInfo.parse("postgresql://postgres@127.0.0.1:5432/postgres");
        for (String db : NAMES) {
            Properties p = org.postgresql.Driver.parseURL(base.withDatabase(db).jdbcUrl(), new Properties());
            assertEquals(db, p.getProperty("PGDBNAME"), base.withDatabase(db).jdbcUrl());
        }
    }
}
