package dev.cutover.pg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server held at one moment, as evidence to compare against after the cutover: per table a
 * row count and an order-independent content hash computed in the server, sequences' last values,
 * extensions, roles, databases and the settings that change behaviour. Plain data: it goes into the
 * transcript as an event and comes back from it on {@code --resume}.
 *
 * @param tables     "db:schema.table" → rows and hash ("" when only counted)
 * @param sequences  "db:schema.sequence" → last value (null when never used)
 * @param extensions "db:name" → version
 */
public record Snapshot(String server, Instant takenAt, String mode, Map<String, TableStat> tables, Map<String, Long> sequences,
                       Map<String, String> extensions, List<String> roles, List<String> databases, Map<String, String> settings) {

    public record TableStat(long rows, String hash) {
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server);
        m.put("takenAt", takenAt.toString());
        m.put("mode", mode);
        Map<String, Object> t = new LinkedHashMap<>();
        tables.forEach((k, v) -> t.put(k, List.of(String.valueOf(v.rows()), v.hash())));
        m.put("tables", t);
        Map<String, Object> s = new LinkedHashMap<>();
        sequences.forEach((k, v) -> s.put(k, v == null ? null : String.valueOf(v)));
        m.put("sequences", s);
        m.put("extensions", extensions);
        m.put("roles", roles);
        m.put("databases", databases);
        m.put("settings", settings);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Snapshot fromMap(Map<String, Object> m) {
        Map<String, TableStat> tables = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("tables")).forEach((k, v) -> {
            List<Object> pair = (List<Object>) v;
            tables.put(k, new TableStat(Long.parseLong(String.valueOf(pair.get(0))), String.valueOf(pair.get(1))));
        });
        Map<String, Long> sequences = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("sequences")).forEach((k, v) -> sequences.put(k, v == null ? null : Long.parseLong(String.valueOf(v))));
        Map<String, String> ext = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("extensions")).forEach((k, v) -> ext.put(k, String.valueOf(v)));
        Map<String, String> settings = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("settings")).forEach((k, v) -> settings.put(k, String.valueOf(v)));
        return new Snapshot(String.valueOf(m.get("server")), Instant.parse(String.valueOf(m.get("takenAt"))), String.valueOf(m.get("mode")),
                tables, sequences, ext, new ArrayList<>((List<String>) m.get("roles")), new ArrayList<>((List<String>) m.get("databases")), settings);
    }
}
