package dev.cutover.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandResult;
import dev.cutover.pg.Server;

/**
 * {@code lag(old, neu)} on a logical link: per database, how many bytes of the publisher's WAL the
 * subscriber has not confirmed, the walsender's replay lag in seconds, and the tables not yet
 * synchronised. For watching only: the cut proves with a marker, never with these figures.
 */
final class LogicalLag {
    private LogicalLag() {
    }

    static Report of(dev.cutover.spi.CommandContext ctx, LogicalLink link) {
        Server pub = link.publisher();
        Server sub = link.subscriber();
        try (Databases dbs = new Databases(ctx)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            long maxBytes = 0;
            Double maxSeconds = null;
            String state = "streaming";
            for (String db : link.databases()) {
                String slot = link.slot(db);
                List<Map<String, Object>> s = pub.sql("select s.active, r.state, pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint as bytes, "
                        + "extract(epoch from r.replay_lag)::float8 as seconds from pg_replication_slots s "
                        + "left join pg_stat_replication r on r.pid = s.active_pid where s.slot_name = ?", slot);
                List<String> pending = new ArrayList<>();
                for (Map<String, Object> r : dbs.read(sub, db, "select r.srrelid::regclass::text as t from pg_subscription_rel r "
                        + "join pg_subscription s on s.oid = r.srsubid where s.subname = ? and r.srsubstate <> 'r' order by 1", link.subscription())) {
                    pending.add(String.valueOf(r.get("t")));
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("database", db);
                row.put("slot", slot);
                String st;
                if (s.isEmpty()) {
                    st = "no slot";
                } else if (!Boolean.TRUE.equals(s.get(0).get("active"))) {
                    st = "not connected";
                } else {
                    st = pending.isEmpty() ? String.valueOf(s.get(0).get("state")) : "copying";
                }
                Long bytes = s.isEmpty() || s.get(0).get("bytes") == null ? null : ((Number) s.get(0).get("bytes")).longValue();
                Double secs = s.isEmpty() || s.get(0).get("seconds") == null ? null : ((Number) s.get(0).get("seconds")).doubleValue();
                row.put("state", st);
                row.put("lag_bytes", bytes);
                row.put("lag_seconds", secs);
                row.put("tables_not_ready", pending.isEmpty() ? "" : pending.size() + ": " + String.join(", ", pending.subList(0, Math.min(5, pending.size())))
                        + (pending.size() > 5 ? ", …" : ""));
                rows.add(row);
                if (bytes != null) maxBytes = Math.max(maxBytes, bytes);
                if (secs != null) maxSeconds = maxSeconds == null ? secs : Math.max(maxSeconds, secs);
                if (!st.equals("streaming")) state = state.equals("streaming") || st.equals("copying") ? st : state;
            }
            return new Report(pub.getName(), sub.getName(), rows, maxBytes, maxSeconds, state);
        }
    }

    /** Lag of every database; {@code lagBytes} and {@code state} read like the streaming lag, so runbooks wait the same way. */
    public record Report(String publisher, String subscriber, List<Map<String, Object>> rows, long lagBytes, Double lagSeconds, String state)
            implements CommandResult {
        public long getLagBytes() {
            return lagBytes;
        }

        public String getState() {
            return state;
        }

        public boolean streaming() {
            return "streaming".equals(state);
        }

        @Override
        public String summary() {
            return subscriber + " ← " + publisher + " (logical, " + rows.size() + " database(s)): " + state + ", at most " + lagBytes + " bytes"
                    + (lagSeconds == null ? "" : String.format(" / %.3fs", lagSeconds)) + " behind";
        }
    }
}
