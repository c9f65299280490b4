package dev.cutover.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.pg.Server;

/**
 * Large objects, which logical replication does not carry, copied at the cut while writes are
 * frozen ({@code promote ..., largeObjects: 'copy'}): the target's own are removed first (on the
 * way back they are the old server's stale copies), then every object of the source is written
 * with its OID, owner and grants. Its cost grows with their size, which is why it is asked for by
 * name; the count and size are read in the window's checks, so a refusal can say what it would cost.
 */
final class LargeObjectCopy {
    /** Objects read from the source per round trip. */
    private static final int BATCH = 100;

    /** How many large objects a database holds, and their bytes (null when not read, or the role may not read pg_largeobject). */
    record Count(long objects, Long bytes) {
        String describe() {
            return objects + (bytes == null ? "" : ", " + bytes + " bytes");
        }
    }

    private final Databases dbs;

    LargeObjectCopy(Databases dbs) {
        this.dbs = dbs;
    }

    /** @param withBytes also their size, a scan of pg_largeobject: only where a refusal will name it */
    Count count(Server server, String db, boolean withBytes) {
        long n = ((Number) dbs.value(server, db, "select count(*) from pg_largeobject_metadata")).longValue();
        if (n == 0) return new Count(0, 0L);
        if (!withBytes) return new Count(n, null);
        Long bytes;
        try {
            bytes = ((Number) dbs.value(server, db, "select coalesce(sum(octet_length(data)), 0)::bigint from pg_largeobject")).longValue();
        } catch (RuntimeException e) {
            bytes = null; // pg_largeobject is readable by superusers only: the count alone must do
        }
        return new Count(n, bytes);
    }

    /**
     * Replaces {@code to}'s large objects in {@code db} by {@code from}'s, recorded as one action;
     * returns how many were written, or null in a dry run (nothing written).
     */
    Long copy(Server from, Server to, String db) {
        List<Long> oids = new ArrayList<>();
        for (Map<String, Object> r : dbs.read(from, db, "select oid::bigint as oid from pg_largeobject_metadata order by oid")) {
            oids.add(((Number) r.get("oid")).longValue());
        }
        return dbs.change(to, db, "replace every large object by " + from.getName() + "'s " + oids.size()
                + " (lo_unlink, lo_from_bytea, ALTER LARGE OBJECT ... OWNER TO, GRANT ... ON LARGE OBJECT)", () -> {
            dbs.read(to, db, "select count(lo_unlink(oid)) from pg_largeobject_metadata");
            for (int i = 0; i < oids.size(); i += BATCH) {
                List<Long> batch = oids.subList(i, Math.min(oids.size(), i + BATCH));
                for (Map<String, Object> r : dbs.read(from, db, "select m.oid::bigint as oid, pg_get_userbyid(m.lomowner) as owner, lo_get(m.oid) as data "
                        + "from pg_largeobject_metadata m where m.oid = any(?::bigint[]::oid[]) order by m.oid", (Object) batch.toArray(new Long[0]))) {
                    long oid = ((Number) r.get("oid")).longValue();
                    dbs.read(to, db, "select lo_from_bytea(?::bigint::oid, ?)", oid, r.get("data"));
                    dbs.read(to, db, "alter large object " + oid + " owner to " + quote(String.valueOf(r.get("owner"))));
                }
            }
            for (Map<String, Object> r : dbs.read(from, db, "select m.oid::bigint as oid, case when a.grantee = 0 then 'public' else "
                    + "quote_ident(pg_get_userbyid(a.grantee)) end as grantee, a.privilege_type as privilege "
                    + "from pg_largeobject_metadata m, aclexplode(m.lomacl) a where a.grantee <> m.lomowner")) {
                dbs.read(to, db, "grant " + r.get("privilege") + " on large object " + r.get("oid") + " to " + r.get("grantee"));
            }
            return (long) oids.size();
        });
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
