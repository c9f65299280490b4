package dev.cutover.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.cutover.pg.FakeSql;
import dev.cutover.pg.Server;
import dev.cutover.spi.CommandException;
import dev.cutover.spi.FakeContext;
import dev.cutover.spi.Invocation;

/** snapshot without a server: what it refuses, decided from the catalog's answers alone. */
class SnapshotCommandTest {

    @Test
    void aDatabaseClosedToConnectionsIsRefusedNotSkipped() {
        FakeContext ctx = new FakeContext(false);
        FakeSql sql = new FakeSql().answer("from pg_database", List.of(
                Map.of("datname", "appdb", "datallowconn", false),
                Map.of("datname", "postgres", "datallowconn", true)));
        Server old = sql.server("old", "/usr/lib/postgresql/15/bin", ctx);

        CommandException e = assertThrows(CommandException.class,
                () -> new SnapshotCommand().run(ctx, Invocation.of("snapshot", new Object[] {old})));

        assertTrue(e.isRefusal(), e.getMessage());
        assertTrue(e.getMessage().contains("appdb") && e.getMessage().contains("does not allow connections"), e.getMessage());
        assertTrue(e.getMessage().contains("ALTER DATABASE \"appdb\" ALLOW_CONNECTIONS true"), "says how to proceed: " + e.getMessage());
        assertTrue(ctx.events.isEmpty(), "no snapshot recorded: " + ctx.events);
        assertTrue(sql.sent.stream().noneMatch(s -> s.contains("pg_class")), "no table was counted: " + sql.sent);
    }

    @Test
    void aNamedDatabaseThatIsClosedIsRefusedToo() {
        FakeContext ctx = new FakeContext(false);
        FakeSql sql = new FakeSql().answer("from pg_database", List.of(Map.of("datname", "appdb", "datallowconn", false)));
        Server old = sql.server("old", "/usr/lib/postgresql/15/bin", ctx);

        CommandException e = assertThrows(CommandException.class, () -> new SnapshotCommand().run(ctx,
                Invocation.of("snapshot", new Object[] {Map.of("databases", List.of("appdb")), old})));
        assertTrue(e.isRefusal() && e.getMessage().contains("nothing was recorded"), e.getMessage());
    }

    private static final List<Map<String, Object>> OPEN = List.of(
            Map.of("datname", "appdb", "datallowconn", true), Map.of("datname", "postgres", "datallowconn", true));

    /** One accounts table in whichever database is asked. */
    private static FakeSql catalog() {
        return new FakeSql().answer("from pg_database", OPEN).answer("from pg_class", List.of(Map.of("qualified", "public.accounts",
                "name", "accounts", "kind", "r", "persistence", "p", "populated", true)));
    }

    @Test
    void aTableNameThatMatchesNothingIsRefusedNotLeftOut() {
        FakeContext ctx = new FakeContext(false);
        Server old = catalog().server("old", "/usr/lib/postgresql/15/bin", ctx);
        // One database named as a string, not a list: that database alone, not every one.
        CommandException e = assertThrows(CommandException.class, () -> new SnapshotCommand().run(ctx, Invocation.of("snapshot",
                new Object[] {Map.of("databases", "appdb", "tables", List.of("accounts", "acounts")), old})));
        assertEquals("snapshot: tables: 'acounts' matches no table, materialized view or foreign table in appdb (name them as table, "
                + "schema.table or db:schema.table; quoted identifiers as format('%I.%I') writes them)", e.getMessage());
        assertTrue(ctx.events.isEmpty(), "no snapshot recorded: " + ctx.events);
    }

    @Test
    void anEmptyListOfDatabasesOrTablesIsRefused() {
        FakeContext ctx = new FakeContext(false);
        FakeSql sql = catalog();
        Server old = sql.server("old", "/usr/lib/postgresql/15/bin", ctx);
        assertEquals("snapshot: databases: names no database; leave it out to cover every database", assertThrows(CommandException.class,
                () -> new SnapshotCommand().run(ctx, Invocation.of("snapshot", new Object[] {Map.of("databases", List.of()), old}))).getMessage());
        assertEquals("snapshot: tables: names no table; leave it out to cover every table", assertThrows(CommandException.class,
                () -> new SnapshotCommand().run(ctx, Invocation.of("snapshot", new Object[] {Map.of("tables", List.of()), old}))).getMessage());
        assertTrue(sql.sent.isEmpty(), "refused before any query: " + sql.sent);
        assertEquals("snapshot: jobs: '0' is not a whole number from 1 to 256", assertThrows(CommandException.class,
                () -> new SnapshotCommand().run(ctx, Invocation.of("snapshot", new Object[] {Map.of("jobs", 0), old}))).getMessage());
    }
}
