package dev.cutover.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.pg.Server;

/**
 * Logical replication does not carry sequences. At the cut every sequence of a database (owned by a
 * column or not) is read on the source in one query and set on the target in one statement, to the
 * source's last value as called, so the target's next value is past everything the source handed out.
 * The target's own values are read too (at the same time, on its connection), and a sequence the
 * target already holds at exactly the source's value is left alone: replicate sets them all once
 * after the initial copy, so inside the window only those used since are set.
 */
final class SequenceSync {
    private final Databases dbs;

    SequenceSync(Databases dbs) {
        this.dbs = dbs;
    }

    /** What one database's sync did: sequences seen, set now, and used on the source (the rest are left as created). */
    record Synced(String database, int total, int set, int used) {
        String describe() {
            return set + " set of " + used + " used (" + total + " in all; " + (used - set) + " already at the source's value)";
        }
    }

    /** One side's sequences: every one (name → last value, null when never used). */
    record Values(Map<String, Long> lastValues) {
    }

    /** Every sequence of one database on one server, in one query. */
    Values read(Server server, String db) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map<String, Object> r : dbs.read(server, db, "select format('%I.%I', schemaname, sequencename) as seq, last_value from pg_sequences "
                + "where schemaname <> ? order by 1", LinkNames.SCHEMA)) {
            m.put(String.valueOf(r.get("seq")), r.get("last_value") == null ? null : ((Number) r.get("last_value")).longValue());
        }
        return new Values(m);
    }

    /**
     * Sets on {@code to} every sequence the source has used whose value on {@code to} is not already
     * exactly the source's (one statement; none when all match).
     */
    Synced set(Server to, String db, Values source, Values target) {
        List<String> names = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        int used = 0;
        for (Map.Entry<String, Long> e : source.lastValues().entrySet()) {
            if (e.getValue() == null) continue; // never used: the target's copy is just as new
            used++;
            if (target != null && e.getValue().equals(target.lastValues().get(e.getKey()))) continue; // already there (as called)
            names.add(e.getKey());
            values.add(e.getValue());
        }
        if (!names.isEmpty()) {
            dbs.write(to, db, "select count(setval(t.s::regclass, t.v, true)) from unnest(?::text[], ?::bigint[]) as t(s, v)",
                    names.toArray(String[]::new), values.toArray(Long[]::new));
        }
        return new Synced(db, source.lastValues().size(), names.size(), used);
    }

    Synced copy(Server from, Server to, String db) {
        return set(to, db, read(from, db), read(to, db));
    }
}
