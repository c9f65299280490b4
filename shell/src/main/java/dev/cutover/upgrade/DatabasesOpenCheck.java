package dev.cutover.upgrade;

import dev.cutover.freeze.ClosedDatabases;
import java.util.List;
import dev.cutover.spi.Check;
import dev.cutover.spi.CheckReport;
import dev.cutover.spi.CommandContext;
import dev.cutover.pg.Server;

/**
 * The upgrade pre-flight's look at {@code datallowconn}: pg_upgrade stops with "All non-template0
 * databases must allow connections", and pg_dumpall silently leaves such a database out. A
 * no-connections freeze on the old primary reaches the promoted standby through replication; that
 * server takes no application traffic yet, so the upgrade opens those databases there itself,
 * before the pre-flight (so its per-database checks cover them too), and closes them again if the
 * upgrade is refused. Any other closed database fails the pre-flight, named.
 */
public final class DatabasesOpenCheck {
    private static final String NAME = "databases allow connections";

    private DatabasesOpenCheck() {
    }

    /**
     * Opens the databases of {@code server} that only a replicated freeze closed, when it is a
     * primary; returns them (nothing when any other database is closed: then the check fails).
     */
    public static List<ClosedDatabases.Closed> openReplicated(CommandContext ctx, Server server) {
        List<ClosedDatabases.Closed> closed = ClosedDatabases.all(ctx, server);
        if (closed.isEmpty() || !closed.stream().allMatch(ClosedDatabases.Closed::replicated) || server.getInRecovery()) return List.of();
        for (ClosedDatabases.Closed c : closed) server.sql(c.openSql());
        if (!ctx.dryRun()) {
            ctx.info(server.getName() + ": opened " + ClosedDatabases.describe(closed) + " to connections: pg_upgrade needs every database "
                    + "but template0 open, and " + server.getName() + " takes no application traffic yet");
        }
        return closed;
    }

    /** Puts back what {@link #openReplicated} opened: a refused upgrade changes nothing. */
    public static void closeAgain(CommandContext ctx, Server server, List<ClosedDatabases.Closed> opened) {
        for (ClosedDatabases.Closed c : opened) {
            server.sql("ALTER DATABASE \"" + c.database().replace("\"", "\"\"") + "\" ALLOW_CONNECTIONS false");
        }
    }

    /** Adds the check; {@code opened} are those {@link #openReplicated} opened for this upgrade. */
    public static void check(CommandContext ctx, CheckReport report, Server server, String method, boolean rehearsal,
                             List<ClosedDatabases.Closed> opened) {
        // A dry run only listed the ALTERs: count those as opened.
        List<ClosedDatabases.Closed> closed = ClosedDatabases.all(ctx, server).stream()
                .filter(c -> opened.stream().noneMatch(o -> o.database().equals(c.database()))).toList();
        if (closed.isEmpty()) {
            report.add(Check.ok(NAME, opened.isEmpty() ? "every database but template0 does"
                    : "opened " + ClosedDatabases.describe(opened) + " on " + server.getName() + ", which takes no application traffic yet"));
            return;
        }
        String which = ClosedDatabases.describe(closed);
        if (method.equals("dump")) {
            report.add(Check.fail(NAME, which + " do(es) not: pg_dump cannot read it and pg_dumpall leaves it out",
                    ClosedDatabases.byOwnFreeze(closed) ? "freeze with mode: 'read-only' or pgbouncer: instead of no-connections"
                            : "open it (" + ClosedDatabases.openSql(closed) + ")"));
        } else if (rehearsal && closed.stream().allMatch(ClosedDatabases.Closed::replicated)) {
            report.add(Check.warn(NAME, which + ": pg_upgrade --check fails on it now; the upgrade itself opens it on " + server.getName()
                    + " (it takes no application traffic yet)", null));
        } else {
            report.add(Check.fail(NAME, which + " do(es) not, and pg_upgrade needs every database but template0 to",
                    ClosedDatabases.byOwnFreeze(closed) ? "unfreeze first, or freeze with mode: 'read-only' or pgbouncer: instead of no-connections"
                            : "open it on " + server.getName() + " (" + ClosedDatabases.openSql(closed) + ")"));
        }
    }
}
