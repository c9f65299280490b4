package dev.cutover.ops;

import java.sql.Connection;
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
import dev.cutover.command.CommandContext;
import dev.cutover.command.CommandException;
import dev.cutover.host.Server;
import dev.cutover.pg.Snapshot.TableStat;

/**
 * Row counts and content hashes of many tables, one table per connection, {@code jobs} at a time.
 * The hash is the sum of a 60-bit slice of md5 over each row's text: computed inside the server,
 * independent of row order and physical layout, equal across major versions for equal data.
 */
public final class TableHasher {
    static final String HASH = "coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text";

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
                    int colon = key.indexOf(':');
                    String db = key.substring(0, colon);
                    String table = key.substring(colon + 1);
                    String sql = "select count(*) as n, " + (countOnly ? "''" : HASH) + " as h from " + table + " t";
                    try (Connection c = server.openConnection(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                        rs.next();
                        TableStat s = new TableStat(rs.getLong(1), rs.getString(2));
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

    /** Every ordinary table of the given databases, as "db:schema.table". */
    public static List<String> tables(Server server, List<String> databases, Object only) {
        List<String> out = new ArrayList<>();
        List<String> wanted = only instanceof List<?> l ? l.stream().map(String::valueOf).toList() : null;
        for (String db : databases) {
            for (Map<String, Object> row : server.sqlIn(db, "select format('%I.%I', n.nspname, c.relname) as qualified, c.relname as name "
                    + "from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and c.relpersistence = 'p' "
                    + "and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' order by 1")) {
                String q = String.valueOf(row.get("qualified"));
                if (wanted != null && !wanted.contains(q) && !wanted.contains(String.valueOf(row.get("name"))) && !wanted.contains(db + ":" + q)) continue;
                out.add(db + ":" + q);
            }
        }
        return out;
    }
}
