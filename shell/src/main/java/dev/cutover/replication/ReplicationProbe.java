package dev.cutover.replication;

import java.util.List;
import java.util.Map;
import dev.cutover.pg.Server;
import dev.cutover.pg.PgVersion;
import dev.cutover.pg.ReplicationStatus;

/** How a standby is doing, as its primary sees it (pg_stat_replication joined to the slot). */
public final class ReplicationProbe {
    private ReplicationProbe() {
    }

    /** The slot the standby streams through: the one replicate recorded, else what its WAL receiver reports. */
    public static String slotOf(Server standby) {
        if (standby.getReplicationSlot() != null) return standby.getReplicationSlot();
        try {
            if (standby.isRunning() && standby.pgVersion().num() >= 130_000) {
                Object s = standby.value("select slot_name from pg_stat_wal_receiver");
                if (s != null) return String.valueOf(s);
            }
        } catch (RuntimeException ignored) {
            // no receiver: no slot known
        }
        return null;
    }

    public static ReplicationStatus status(Server primary, Server standby, String slot) {
        PgVersion v = primary.pgVersion();
        String sent = v.walNames() ? "sent_lsn" : "sent_location";
        String replay = v.walNames() ? "replay_lsn" : "replay_location";
        String diff = v.walNames() ? "pg_wal_lsn_diff" : "pg_xlog_location_diff";
        String lagSeconds = v.walNames() ? "extract(epoch from r.replay_lag)::float8" : "null::float8";
        String select = "select r.state, r." + sent + "::text as sent, r." + replay + "::text as replay, "
                + diff + "(" + v.currentLsnFunction() + ", r." + replay + ")::bigint as lag_bytes, " + lagSeconds + " as lag_seconds "
                + "from pg_stat_replication r ";
        List<Map<String, Object>> rows;
        if (slot != null) {
            rows = primary.sql(select + "join pg_replication_slots s on s.active_pid = r.pid where s.slot_name = ?", slot);
        } else {
            rows = primary.sql(select);
            if (rows.size() > 1) {
                return new ReplicationStatus(primary.getName(), standby.getName(), null, "unknown", null, null, null, null,
                        rows.size() + " standbys and no slot to tell them apart: pass slot:");
            }
        }
        if (rows.isEmpty()) {
            return new ReplicationStatus(primary.getName(), standby.getName(), slot, "absent", null, null, null, null,
                    "not connected to " + primary.getName());
        }
        Map<String, Object> r = rows.get(0);
        Number lag = (Number) r.get("lag_bytes");
        Number secs = (Number) r.get("lag_seconds");
        return new ReplicationStatus(primary.getName(), standby.getName(), slot, String.valueOf(r.get("state")),
                (String) r.get("sent"), (String) r.get("replay"), lag == null ? null : lag.longValue(),
                secs == null ? null : secs.doubleValue(), null);
    }
}
