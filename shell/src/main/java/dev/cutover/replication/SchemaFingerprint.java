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
 * Cutover's own schema is left out. Inside the write window only {@link #digest} is read: the same
 * per-object hashes folded by the server into one md5 (one row, nothing shipped per object); the
 * per-object lists are fetched only when two digests differ, to name what differs.
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

    /**
     * The whole schema as one row: an md5 over every object's name and hash in a fixed order (byte
     * order, so the servers' collations do not matter), and the number of objects. Two databases
     * have equal digests exactly when {@link #of} would find no differences (up to an md5 collision).
     */
    private static final String DIGEST = "select md5(coalesce(string_agg(s.object || ' ' || s.hash, E'\\n' order by s.object collate \"C\"), '')) as digest, "
            + "count(*) as objects from (" + QUERY + ") s";

    /** One database's schema digest (see {@link #DIGEST}). */
    record Digest(String md5, long objects) {
    }

    static Digest digest(Databases dbs, Server server, String db) {
        Map<String, Object> r = dbs.read(server, db, DIGEST, LinkNames.SCHEMA).get(0);
        return new Digest(String.valueOf(r.get("digest")), ((Number) r.get("objects")).longValue());
    }

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
