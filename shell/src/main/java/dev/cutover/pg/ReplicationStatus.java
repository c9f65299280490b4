package dev.cutover.pg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandResult;

/**
 * A standby as its primary sees it.
 *
 * @param state      pg_stat_replication.state: streaming, catchup, startup; "absent" when not connected
 * @param lagBytes   sent/flush position of the primary minus the standby's replay position
 * @param lagSeconds replay_lag in seconds (null before 10 or while idle)
 */
public record ReplicationStatus(String primary, String standby, String slot, String state, String sentLsn,
                                String replayLsn, Long lagBytes, Double lagSeconds, String note) implements CommandResult {

    public boolean streaming() {
        return "streaming".equals(state);
    }

    // Groovy-friendly names: status.lagBytes, status.streaming
    public Long getLagBytes() {
        return lagBytes;
    }

    public String getState() {
        return state;
    }

    @Override
    public String summary() {
        return standby + " ← " + primary + ": " + state + (lagBytes == null ? "" : ", lag " + lagBytes + " bytes")
                + (lagSeconds == null ? "" : String.format(" / %.3fs", lagSeconds))
                + (replayLsn == null ? "" : ", replayed " + replayLsn) + (note == null ? "" : " (" + note + ")");
    }

    @Override
    public List<Map<String, Object>> rows() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("standby", standby);
        r.put("slot", slot);
        r.put("state", state);
        r.put("sent_lsn", sentLsn);
        r.put("replay_lsn", replayLsn);
        r.put("lag_bytes", lagBytes);
        r.put("lag_seconds", lagSeconds);
        return List.of(r);
    }
}
