package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's configuration, carried from the old cluster to the new one: every setting that
 * came from a configuration file (postgresql.conf, ALTER SYSTEM's postgresql.auto.conf, includes)
 * and that the new version still knows. Paths, the port and recovery settings are the new
 * cluster's own and stay out.
 */
public final class ConfigCarryOver {
    /** Settings that describe where the old cluster lives or how it recovered, not how it should run. */
    private static final Set<String> OWN = Set.of("data_directory", "config_file", "hba_file", "ident_file", "external_pid_file",
            "port", "primary_conninfo", "primary_slot_name", "restore_command", "archive_cleanup_command", "recovery_end_command",
            "recovery_target", "recovery_target_action", "recovery_target_inclusive", "recovery_target_lsn", "recovery_target_name",
            "recovery_target_time", "recovery_target_timeline", "recovery_target_xid", "promote_trigger_file", "recovery_min_apply_delay",
            "standby_mode", "trigger_file", "lc_messages", "lc_monetary", "lc_numeric", "lc_time",
            // set by freeze mode: 'read-only' (ALTER SYSTEM) while the copy runs: carrying it would start the new server read-only
            "default_transaction_read_only");

    /**
     * @param kept    name → value as the new cluster will read it
     * @param dropped names the new version does not know (renamed or removed settings)
     */
    public record Result(Map<String, String> kept, List<String> dropped) {
        /** The include file's text: one {@code name = 'value'} per setting, then the port. */
        public String fileText(String origin, int port) {
            StringBuilder sb = new StringBuilder("# Carried over by cutover from " + origin + ".\n");
            if (!dropped.isEmpty()) sb.append("# Not carried (unknown to the new version): ").append(String.join(", ", dropped)).append("\n");
            kept.forEach((k, v) -> sb.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
            sb.append("port = ").append(port).append("\n");
            return sb.toString();
        }
    }

    private ConfigCarryOver() {
    }

    /**
     * @param fromFiles    name → current value (with unit) of settings whose source is a configuration file
     * @param newVersionKnows every setting name the new server accepts ({@code postgres --describe-config})
     */
    public static Result of(Map<String, String> fromFiles, Set<String> newVersionKnows) {
        Map<String, String> kept = new java.util.LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        fromFiles.forEach((name, value) -> {
            if (OWN.contains(name)) return;
            if (newVersionKnows.contains(name)) {
                kept.put(name, value);
            } else {
                dropped.add(name);
            }
        });
        return new Result(kept, dropped);
    }
}
