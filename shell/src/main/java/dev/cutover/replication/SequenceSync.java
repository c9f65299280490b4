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
            return set + " set (" + total + " in all, " + used + " used; the others already at the source's value)";
        }
    }

    /**
     * One side's sequences: name → its state. A sequence whose last value was not handed out yet
     * ({@code is_called} false: never used, or after {@code setval(s, v, false)} or {@code ALTER SEQUENCE ... RESTART})
     * reads null in {@code pg_sequences}; its stored value is read from the sequence itself, since the next
     * {@code nextval} returns exactly that value.
     */
    record Values(Map<String, State> states) {
    }

    /** A sequence's stored value and whether it was handed out ({@code is_called}). */
    record State(long value, boolean called) {
    }

    /** Every sequence of one database on one server, in one query. */
    Values read(Server server, String db) {
        Map<String, State> m = new LinkedHashMap<>();
        for (Map<String, Object> r : dbs.read(server, db, "select format('%I.%I', schemaname, sequencename) as seq, last_value, "
                + "case when last_value is null then (xpath('/row/last_value/text()', query_to_xml(format('select last_value from %I.%I', "
                + "schemaname, sequencename), false, true, '')))[1]::text::bigint end as stored "
                + "from pg_sequences where schemaname <> ? order by 1", LinkNames.SCHEMA)) {
            Object last = r.get("last_value");
            m.put(String.valueOf(r.get("seq")), last != null ? new State(((Number) last).longValue(), true)
                    : new State(((Number) r.get("stored")).longValue(), false));
        }
        return new Values(m);
    }

    /**
     * Sets on {@code to} every sequence whose state there is not exactly the source's (one statement; none
     * when all match): handed-out values as called, the others (set back, restarted) as not called, so the
     * next nextval on {@code to} returns what it would have returned on the source.
     */
    Synced set(Server to, String db, Values source, Values target) {
        List<String> names = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<Boolean> called = new ArrayList<>();
        int used = 0;
        for (Map.Entry<String, State> e : source.states().entrySet()) {
            State want = e.getValue();
            if (want.called()) used++;
            if (want.equals(target.states().get(e.getKey()))) continue; // already there
            names.add(e.getKey());
            values.add(want.value());
            called.add(want.called());
        }
        if (!names.isEmpty()) {
            dbs.write(to, db, "select count(setval(t.s::regclass, t.v, t.c)) from unnest(?::text[], ?::bigint[], ?::boolean[]) as t(s, v, c)",
                    names.toArray(String[]::new), values.toArray(Long[]::new), called.toArray(Boolean[]::new));
        }
        return new Synced(db, source.states().size(), names.size(), used);
    }

    Synced copy(Server from, Server to, String db) {
        return set(to, db, read(from, db), read(to, db));
    }
}
