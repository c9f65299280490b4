package dev.cutover.verify;

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
}
