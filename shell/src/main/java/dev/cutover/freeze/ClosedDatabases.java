package dev.cutover.freeze;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.pg.ConnInfo;
import dev.cutover.pg.Server;
import dev.cutover.spi.CommandContext;

/**
 * Databases that do not allow connections, and why, as precisely as this session knows: closed by a
 * no-connections freeze of this server, closed by one on the primary it replicates from (the setting
 * is in the catalog, so it reaches standbys), or closed by someone else. A check that covers "every
 * database" names them and refuses; it never skips them and reports ok over nothing.
 */
public final class ClosedDatabases {

    /**
     * @param freeze     the no-connections freeze that closed it, or null
     * @param replicated true when that freeze is on another server and the setting came here by replication
     */
    public record Closed(String database, NoConnectionsFreeze freeze, boolean replicated) {
        /** "appdb (closed by the no-connections freeze freeze-1)". */
        public String describe() {
            if (freeze == null) return database + " (ALLOW_CONNECTIONS false)";
            return database + " (closed by the no-connections freeze " + freeze.id()
                    + (replicated ? " on " + freeze.serverName() + ", which replicates to its standbys" : "") + ")";
        }

        public String openSql() {
            return "ALTER DATABASE \"" + database.replace("\"", "\"\"") + "\" ALLOW_CONNECTIONS true";
        }
    }

    private ClosedDatabases() {
    }

    /** Those of {@code databases} that {@code server} does not let anyone connect to. */
    public static List<Closed> among(CommandContext ctx, Server server, List<String> databases) {
        Map<String, Boolean> access = server.databasesWithAccess();
        List<Closed> closed = new ArrayList<>();
        for (String db : databases) {
            if (Boolean.FALSE.equals(access.get(db))) closed.add(explain(ctx, server.getConnInfo(), db));
        }
        return closed;
    }

    /** Every database of {@code server} but template0 that does not allow connections (what pg_upgrade requires). */
    public static List<Closed> all(CommandContext ctx, Server server) {
        List<Closed> closed = new ArrayList<>();
        for (Map<String, Object> r : server.sql("select datname from pg_database where datname <> 'template0' and not datallowconn order by 1")) {
            closed.add(explain(ctx, server.getConnInfo(), String.valueOf(r.get("datname"))));
        }
        return closed;
    }

    private static Closed explain(CommandContext ctx, ConnInfo at, String db) {
        NoConnectionsFreeze elsewhere = null;
        for (Freeze f : ctx.session(Freezes.class, Freezes::new).active()) {
            if (!(f instanceof NoConnectionsFreeze nc)) continue;
            if (nc.closes(at.host(), at.port(), db)) return new Closed(db, nc, false);
            if (nc.closes(db)) elsewhere = nc;
        }
        return new Closed(db, elsewhere, elsewhere != null);
    }

    /** Whether a freeze of this very server closed one of them (rather than replication or someone else). */
    public static boolean byOwnFreeze(List<Closed> closed) {
        return closed.stream().anyMatch(c -> c.freeze() != null && !c.replicated());
    }

    /** "ALTER DATABASE "a" ALLOW_CONNECTIONS true; ALTER DATABASE "b" ..." */
    public static String openSql(List<Closed> closed) {
        return String.join("; ", closed.stream().map(Closed::openSql).toList());
    }

    public static String describe(List<Closed> closed) {
        return String.join(", ", closed.stream().map(Closed::describe).toList());
    }
}
