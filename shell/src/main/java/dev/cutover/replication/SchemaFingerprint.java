package dev.cutover.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.cutover.pg.Server;

/**
 * A database's schema as logical replication depends on it: per table, sequence and view, a hash
 * of its columns (name, type, not null), constraints and replica identity. DDL on one side only
 * stops apply or loses columns; comparing both sides' fingerprints at the cut names the objects.
 * Cutover's own schema is left out.
 */
record SchemaFingerprint(Map<String, String> objects) {

    private static final String QUERY = "select format('%s %I.%I', case c.relkind when 'S' then 'sequence' when 'v' then 'view' "
            + "when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end, n.nspname, c.relname) as object, "
            + "md5(coalesce((select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end, "
            + "', ' order by a.attnum) from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '') "
            + "|| '|' || coalesce((select string_agg(pg_get_constraintdef(k.oid), ', ' order by k.conname) from pg_constraint k "
            + "where k.conrelid = c.oid), '') || '|' || c.relreplident::text) as hash "
            + "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            + "where c.relkind in ('r', 'p', 'S', 'v', 'm', 'f') and not c.relispartition "
            + "and n.nspname not in ('pg_catalog', 'information_schema', ?) and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'";

    static SchemaFingerprint of(Databases dbs, Server server, String db) {
        Map<String, String> m = new TreeMap<>();
        for (Map<String, Object> r : dbs.read(server, db, QUERY, LinkNames.SCHEMA)) m.put(String.valueOf(r.get("object")), String.valueOf(r.get("hash")));
        return new SchemaFingerprint(m);
    }

    /** The objects that differ: only on one side, or defined differently; empty when equal. */
    List<String> differences(SchemaFingerprint other, String mine, String theirs) {
        List<String> out = new ArrayList<>();
        for (String k : new TreeSet<>(union(other))) {
            String a = objects.get(k);
            String b = other.objects.get(k);
            if (a == null) out.add(k + " (only on " + theirs + ")");
            else if (b == null) out.add(k + " (only on " + mine + ")");
            else if (!a.equals(b)) out.add(k + " (columns or constraints differ)");
        }
        return out;
    }

    private TreeSet<String> union(SchemaFingerprint other) {
        TreeSet<String> all = new TreeSet<>(objects.keySet());
        all.addAll(other.objects.keySet());
        return all;
    }

    /** A short digest of the whole schema, for the transcript. */
    String digest() {
        return Integer.toHexString(objects.hashCode());
    }
}
