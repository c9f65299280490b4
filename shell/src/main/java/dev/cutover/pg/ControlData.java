package dev.cutover.pg;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code pg_controldata} output: the cluster state and the last checkpoint, read while the server is down. */
public record ControlData(Map<String, String> fields) {

    public static ControlData parse(String output) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) m.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return new ControlData(m);
    }

    /** "shut down", "shut down in recovery", "in production", "in archive recovery", ... */
    public String state() {
        return fields.get("Database cluster state");
    }

    public boolean cleanlyShutDown() {
        return "shut down".equals(state());
    }

    /** Start of the last checkpoint record: for a clean shutdown, the end of everything the server wrote. */
    public Lsn checkpointLocation() {
        String v = fields.getOrDefault("Latest checkpoint location", fields.get("Latest checkpoint's REDO location"));
        return v == null ? null : Lsn.parse(v);
    }

    public int checkpointTimeline() {
        String v = fields.get("Latest checkpoint's TimeLineID");
        return v == null ? 0 : Integer.parseInt(v);
    }

    public String systemIdentifier() {
        return fields.get("Database system identifier");
    }

    public boolean dataChecksums() {
        String v = fields.get("Data page checksum version");
        return v != null && !v.equals("0");
    }

    public String get(String key) {
        return fields.get(key);
    }
}
