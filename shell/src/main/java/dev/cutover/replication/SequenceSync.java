package dev.cutover.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.pg.Server;

/**
 * Logical replication does not carry sequences. At the cut every sequence of a database (owned by a
 * column or not) is read on the source in one query and set on the target in one statement, to the
 * source's last value as called, so the target's next value is past everything the source handed out.
 */
final class SequenceSync {
    private final Databases dbs;

    SequenceSync(Databases dbs) {
        this.dbs = dbs;
    }

    /** What one database's sync did: sequences seen, set, and never used (left as created). */
    record Synced(String database, int total, int set) {
    }

    Synced copy(Server from, Server to, String db) {
        List<Map<String, Object>> rows = dbs.read(from, db, "select format('%I.%I', schemaname, sequencename) as seq, last_value from pg_sequences "
                + "where schemaname <> ? order by 1", LinkNames.SCHEMA);
        List<String> names = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (r.get("last_value") == null) continue; // never used: the target's copy is just as new
            names.add(String.valueOf(r.get("seq")));
            values.add(((Number) r.get("last_value")).longValue());
        }
        if (!names.isEmpty()) {
            dbs.write(to, db, "select count(setval(t.s::regclass, t.v, true)) from unnest(?::text[], ?::bigint[]) as t(s, v)",
                    names.toArray(String[]::new), values.toArray(Long[]::new));
        }
        return new Synced(db, rows.size(), names.size());
    }
}
