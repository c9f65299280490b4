package dev.cutover.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.CommandException;
import dev.cutover.pg.Server;
import dev.cutover.pg.DbKey;
import dev.cutover.replication.LinkNames;
import dev.cutover.verify.Snapshot.TableStat;

/**
 * Row counts and content hashes of many tables, one table per connection, {@code jobs} at a time.
 * The hash is the sum of a 60-bit slice of md5 over each row's text: computed inside the server,
 * independent of row order and physical layout, equal across major versions for equal data. Each
 * row is written with its columns in the order of their names, not their positions: pg_dump
 * legitimately re-creates an inheritance child with the parent's columns first, and equal data must
 * still hash equal. A table's own rows only ({@code FROM ONLY}): a parent does not count its children.
 */
public final class TableHasher {
    /**
     * The kinds of relation: a snapshot records the first four. {@code MARKER} is cutover's own marker table
     * ({@link LinkNames#MARKER}): the proof at a logical cut commits a row into it on the source after the freeze,
     * so after any snapshot taken in the window, and that row reaches the target: it is cutover's evidence, not the
     * application's data, and is neither recorded nor compared.
     */
    public enum Kind { TABLE, UNLOGGED, MATVIEW, FOREIGN, MARKER }

    /** A relation as "db:schema.name" with its kind; {@code populated} is false only for a materialized view WITH NO DATA. */
    public record Relation(String key, Kind kind, boolean populated) {
    }

    private static final String COLUMNS = "select coalesce(string_agg('t.' || quote_ident(attname), ', ' order by attname), '') "
            + "from pg_attribute where attrelid = cast(? as regclass) and attnum > 0 and not attisdropped";

    static String hashOf(String rowExpression) {
        return "coalesce(sum(('x' || substr(md5(" + rowExpression + "::text), 1, 15))::bit(60)::bigint), 0)::text";
    }

    private TableHasher() {
    }

    /** @param tables "db:schema.table" (schema and table already quoted as identifiers) */
    public static Map<String, TableStat> hash(CommandContext ctx, Server server, List<String> tables, boolean countOnly, int jobs)
            throws InterruptedException {
        Map<String, TableStat> out = new TreeMap<>();
        if (tables.isEmpty()) return out;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, tables.size())), r -> {
            Thread t = new Thread(r, "cutover-hash");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<TableStat>> futures = new ArrayList<>();
            for (String key : tables) {
                futures.add(pool.submit(() -> {
                    try (Connection c = reading(server, DbKey.database(key))) {
                        TableStat s = countAndHash(c, DbKey.object(key), countOnly);
                        ctx.progress((countOnly ? "counted " : "hashed ") + done.incrementAndGet() + "/" + tables.size() + " tables (" + key + ")");
                        return s;
                    }
                }));
            }
            for (int i = 0; i < tables.size(); i++) {
                try {
                    out.put(tables.get(i), futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new CommandException(server.getName() + ": hashing " + tables.get(i) + " failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A connection to hash through. Row-level security off: for a role that policies apply to, PostgreSQL then
     * raises an error instead of silently leaving rows out, which would let both sides hash the same subset
     * (or nothing) and compare equal.
     */
    private static Connection reading(Server server, String database) throws java.sql.SQLException {
        Connection c = server.openConnection(database);
        try (Statement st = c.createStatement()) {
            st.execute("set row_security = off");
        } catch (java.sql.SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static TableStat countAndHash(Connection c, String table, boolean countOnly) throws java.sql.SQLException {
        String hash = "''";
        if (!countOnly) {
            try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    hash = hashOf("row(" + rs.getString(1) + ")");
                }
            }
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) as n, " + hash + " as h from only " + table + " t")) {
            rs.next();
            return new TableStat(rs.getLong(1), rs.getString(2));
        }
    }

    /**
     * The stored relations a materialized view reads, as "db:schema.table": through the views it reads down
     * to tables, materialized views and foreign tables, and through partitioned and inheritance parents to
     * every child (a query on a parent reads them too).
     */
    public static List<String> readBy(Server server, String key) {
        String db = DbKey.database(key);
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : server.sqlIn(db, "with recursive edges(parent, child, inherits) as ("
                + "select r.ev_class, d.refobjid, false from pg_rewrite r join pg_depend d on d.classid = 'pg_rewrite'::regclass "
                + "and d.objid = r.oid and d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class "
                + "union all select inhparent, inhrelid, true from pg_inherits), "
                + "deps(oid) as (select child from edges where parent = cast(? as regclass) and not inherits "
                + "union select e.child from deps join pg_class c on c.oid = deps.oid join edges e on e.parent = deps.oid and (e.inherits or c.relkind = 'v')) "
                + "select distinct format('%I.%I', n.nspname, c.relname) as q from deps join pg_class c on c.oid = deps.oid "
                + "join pg_namespace n on n.oid = c.relnamespace where c.relkind not in ('v', 'p')", DbKey.object(key))) {
            out.add(DbKey.of(db, String.valueOf(row.get("q"))));
        }
        return out;
    }

    /**
     * What a materialized view would hold if refreshed now: its defining query's rows, counted and
     * hashed like the view's own (columns by name). A view whose stored rows differ from this is stale.
     */
    public static TableStat definition(Server server, String key) {
        String view = DbKey.object(key);
        try (Connection c = reading(server, DbKey.database(key))) {
            String def;
            String columns;
            String byName;
            try (PreparedStatement ps = c.prepareStatement("select pg_get_viewdef(cast(? as regclass)) as def, "
                    + "string_agg(quote_ident(attname), ', ' order by attnum) as cols, string_agg('t.' || quote_ident(attname), ', ' order by attname) "
                    + "from pg_attribute where attrelid = cast(? as regclass) and attnum > 0 and not attisdropped")) {
                ps.setString(1, view);
                ps.setString(2, view);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    def = rs.getString(1).strip().replaceAll(";$", "");
                    columns = rs.getString(2);
                    byName = rs.getString(3);
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*), " + hashOf("row(" + byName + ")")
                    + " from (" + def + ") as t(" + columns + ")")) {
                rs.next();
                return new TableStat(rs.getLong(1), rs.getString(2));
            }
        } catch (java.sql.SQLException e) {
            throw new CommandException(server.getName() + ": running the query of " + key + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Per database: how many large objects and a hash of each one's OID and whole content (holes read
     * as zeros, as pg_dump copies them), so a restore that rewrote the pages still compares equal.
     */
    public static Map<String, TableStat> largeObjects(Server server, List<String> databases) {
        Map<String, TableStat> out = new TreeMap<>();
        String sql = "select count(*) as n, " + hashOf("(oid::text || ':' || md5(lo_get(oid)))") + " as h from pg_largeobject_metadata";
        for (String db : databases) {
            try {
                Map<String, Object> row = server.sqlIn(db, sql).get(0);
                out.put(db, new TableStat(((Number) row.get("n")).longValue(), String.valueOf(row.get("h"))));
            } catch (CommandException e) {
                throw new CommandException(server.getName() + ": hashing the large objects of " + db + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Whether "db:schema.table" is cutover's own marker table (see {@link Kind#MARKER}). */
    static boolean isMarker(String key) {
        return DbKey.object(key).equals(LinkNames.MARKER);
    }

    /** Every ordinary table of the given databases, as "db:schema.table". */
    public static List<String> tables(Server server, List<String> databases, List<String> only) {
        return relations(server, databases, only).stream().filter(r -> r.kind() == Kind.TABLE).map(Relation::key).toList();
    }

    /**
     * Every table (ordinary, unlogged, foreign) and materialized view of the given databases, outside the
     * system schemas; with {@code only}, those it names (as table, schema.table or db:schema.table). A name
     * that matches nothing is refused: a snapshot that silently covered less than asked would compare
     * less than the operator believes.
     */
    public static List<Relation> relations(Server server, List<String> databases, List<String> only) {
        List<Relation> out = new ArrayList<>();
        java.util.Set<String> unmatched = only == null ? java.util.Set.of() : new java.util.LinkedHashSet<>(only);
        for (String db : databases) {
            for (Map<String, Object> row : server.sqlIn(db, "select format('%I.%I', n.nspname, c.relname) as qualified, c.relname as name, "
                    + "c.relkind::text as kind, c.relpersistence::text as persistence, c.relispopulated as populated "
                    + "from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'm', 'f') "
                    + "and c.relpersistence <> 't' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' order by 1")) {
                String q = String.valueOf(row.get("qualified"));
                String key = DbKey.of(db, q);
                String name = String.valueOf(row.get("name"));
                if (only != null && !only.contains(q) && !only.contains(name) && !only.contains(key)) continue;
                if (only != null) unmatched.removeAll(List.of(q, name, key));
                Kind kind = switch (String.valueOf(row.get("kind"))) {
                    case "m" -> Kind.MATVIEW;
                    case "f" -> Kind.FOREIGN;
                    default -> isMarker(key) ? Kind.MARKER : "u".equals(row.get("persistence")) ? Kind.UNLOGGED : Kind.TABLE;
                };
                out.add(new Relation(key, kind, !Boolean.FALSE.equals(row.get("populated"))));
            }
        }
        if (!unmatched.isEmpty()) {
            throw new CommandException("tables: " + String.join(", ", unmatched.stream().map(t -> "'" + t + "'").toList())
                    + " matches no table, materialized view or foreign table in " + String.join(", ", databases)
                    + " (name them as table, schema.table or db:schema.table; quoted identifiers as format('%I.%I') writes them)");
        }
        return out;
    }
}
