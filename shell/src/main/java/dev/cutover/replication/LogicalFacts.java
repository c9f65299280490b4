package dev.cutover.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import dev.cutover.host.ExecResult;
import dev.cutover.pg.Server;
import dev.cutover.host.ShellQuote;

/**
 * What the pre-flight of a logical link looks at, read from both servers and changing nothing.
 * The rules that judge it are in {@link LogicalPreflight}, so they can be reasoned about (and
 * tested) without servers.
 */
record LogicalFacts(String source, String target, int sourceMajor, int targetMajor,
                    Map<String, String> sourceSettings, Map<String, String> targetSettings,
                    long sourceSlotsUsed, long sourceSendersUsed, long targetSlotsUsed, long targetSendersUsed,
                    List<String> databases, Map<String, Db> perDatabase, Set<String> targetExtensions,
                    Map<String, Long> targetUserTables, List<String> existingSubscriptions,
                    Long sourceFreeDisk, String sourceDiskProblem, long sourceSize) {

    static final List<String> SETTINGS = List.of("wal_level", "max_replication_slots", "max_wal_senders", "max_logical_replication_workers",
            "max_worker_processes", "max_sync_workers_per_subscription");

    /** One source database. Table names are schema-qualified and quoted as SQL wants them. */
    record Db(long tables, List<String> noKeyChanged, List<String> noKeyInsertOnly, long largeObjects, long sequences, long ownedSequences,
              List<String> unlogged, List<String> foreign, List<String> matviews, Map<String, String> extensions) {
    }

    int setting(boolean onSource, String name) {
        String v = (onSource ? sourceSettings : targetSettings).get(name);
        return v == null ? 0 : Integer.parseInt(v);
    }

    static LogicalFacts read(Databases dbs, Server source, Server target, List<String> databases, LinkNames names) {
        Map<String, String> ss = source.settings(SETTINGS.toArray(String[]::new));
        Map<String, String> ts = target.settings(SETTINGS.toArray(String[]::new));
        long sSlots = count(source, "select count(*) from pg_replication_slots");
        long sSenders = count(source, "select count(*) from pg_stat_replication");
        long tSlots = count(target, "select count(*) from pg_replication_slots");
        long tSenders = count(target, "select count(*) from pg_stat_replication");
        Map<String, Db> per = new LinkedHashMap<>();
        for (String db : databases) per.put(db, readDb(dbs, source, db));
        Set<String> available = new TreeSet<>();
        for (Map<String, Object> r : target.sql("select name from pg_available_extensions")) available.add(String.valueOf(r.get("name")));
        List<String> targetDbs = target.databases();
        Map<String, Long> userTables = new LinkedHashMap<>();
        for (String db : databases) {
            if (!targetDbs.contains(db)) continue;
            Object n = dbs.value(target, db, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                    + "where c.relkind in ('r', 'p', 'f', 'm') and n.nspname not in ('pg_catalog', 'information_schema', ?) "
                    + "and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'", LinkNames.SCHEMA);
            userTables.put(db, ((Number) n).longValue());
        }
        List<String> subs = new ArrayList<>();
        for (Server s : List.of(source, target)) {
            for (Map<String, Object> r : s.sql("select d.datname, s.subname from pg_subscription s join pg_database d on d.oid = s.subdbid "
                    + "where s.subname in (?, ?)", names.forward(), names.back())) {
                subs.add(s.getName() + ":" + r.get("datname") + ":" + r.get("subname"));
            }
        }
        long size = count(source, "select coalesce(sum(pg_database_size(oid)), 0)::bigint from pg_database");
        Long free = null;
        String problem = null;
        try {
            String walDir = String.valueOf(source.value("select current_setting('data_directory')")) + "/" + source.pgVersion().walDir();
            ExecResult df = source.quietShell("df -PB1 " + ShellQuote.quote(walDir) + " | awk 'NR==2 {print $4}'", Duration.ofSeconds(30));
            free = Long.parseLong(df.stdout().strip());
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        return new LogicalFacts(source.getName(), target.getName(), source.getVersion().intValue(), target.getVersion().intValue(), ss, ts,
                sSlots, sSenders, tSlots, tSenders, databases, per, available, userTables, subs, free, problem, size);
    }

    private static Db readDb(Databases dbs, Server source, String db) {
        String user = "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'";
        List<String> changed = new ArrayList<>();
        List<String> insertOnly = new ArrayList<>();
        long tables = 0;
        for (Map<String, Object> r : dbs.read(source, db, "select format('%I.%I', n.nspname, c.relname) as t, "
                + "c.relreplident = 'n' or (c.relreplident = 'd' and not exists (select from pg_index i where i.indrelid = c.oid and i.indisprimary)) as nokey, "
                + "coalesce(s.n_tup_upd + s.n_tup_del, 0) as changes "
                + "from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_stat_user_tables s on s.relid = c.oid "
                + "where c.relkind = 'r' and c.relpersistence = 'p' and " + user + " order by 1")) {
            tables++;
            if (!Boolean.TRUE.equals(r.get("nokey"))) continue;
            (((Number) r.get("changes")).longValue() > 0 ? changed : insertOnly).add(String.valueOf(r.get("t")));
        }
        long lo = ((Number) dbs.value(source, db, "select count(*) from pg_largeobject_metadata")).longValue();
        Map<String, Object> seq = dbs.read(source, db, "select count(*) as total, count(*) filter (where exists (select from pg_depend d "
                + "where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i') and d.refobjsubid > 0)) as owned "
                + "from pg_class c where c.relkind = 'S'").get(0);
        List<String> unlogged = names(dbs, source, db, "c.relkind in ('r', 'p') and c.relpersistence = 'u' and " + user);
        List<String> foreign = names(dbs, source, db, "c.relkind = 'f' and " + user);
        List<String> matviews = names(dbs, source, db, "c.relkind = 'm' and " + user);
        Map<String, String> ext = new LinkedHashMap<>();
        for (Map<String, Object> r : dbs.read(source, db, "select extname, extversion from pg_extension order by 1")) {
            ext.put(String.valueOf(r.get("extname")), String.valueOf(r.get("extversion")));
        }
        return new Db(tables, changed, insertOnly, lo, ((Number) seq.get("total")).longValue(), ((Number) seq.get("owned")).longValue(),
                unlogged, foreign, matviews, ext);
    }

    private static List<String> names(Databases dbs, Server s, String db, String where) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : dbs.read(s, db, "select format('%I.%I', n.nspname, c.relname) as t from pg_class c "
                + "join pg_namespace n on n.oid = c.relnamespace where " + where + " order by 1")) {
            out.add(String.valueOf(r.get("t")));
        }
        return out;
    }

    private static long count(Server s, String sql) {
        return ((Number) s.value(sql)).longValue();
    }
}
