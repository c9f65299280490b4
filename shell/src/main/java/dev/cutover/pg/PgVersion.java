package dev.cutover.pg;

import java.math.BigDecimal;

/**
 * A server version and the names that changed with it: xlog became wal in 10, recovery.conf
 * became signal files in 12.
 *
 * @param num server_version_num, 130016
 */
public record PgVersion(int num) {

    /** 13 for 13.x; 9.6 for 9.6.x (before 10 the major version had two parts). */
    public Number major() {
        return num >= 100_000 ? (Number) (num / 10_000) : new BigDecimal(num / 10_000 + "." + (num / 100) % 100);
    }

    public String majorText() {
        return String.valueOf(major());
    }

    public boolean walNames() {
        return num >= 100_000;
    }

    /** "pg_wal" from 10, "pg_xlog" before. */
    public String walDir() {
        return walNames() ? "pg_wal" : "pg_xlog";
    }

    public String currentLsnFunction() {
        return walNames() ? "pg_current_wal_lsn()" : "pg_current_xlog_location()";
    }

    public String replayLsnFunction() {
        return walNames() ? "pg_last_wal_replay_lsn()" : "pg_last_xlog_replay_location()";
    }

    public String receiveLsnFunction() {
        return walNames() ? "pg_last_wal_receive_lsn()" : "pg_last_xlog_receive_location()";
    }

    public String walFileNameFunction() {
        return walNames() ? "pg_walfile_name" : "pg_xlogfile_name";
    }

    /** Standby configuration: standby.signal + postgresql.auto.conf from 12, recovery.conf before. */
    public boolean signalFiles() {
        return num >= 120_000;
    }

    /** The version a data directory's PG_VERSION file names: "13" → 130000, "9.6" → 90600 (the major's first release). */
    public static PgVersion ofDataDirectory(String pgVersionFile) {
        String v = pgVersionFile.trim();
        int dot = v.indexOf('.');
        if (dot < 0) return new PgVersion(Integer.parseInt(v) * 10_000);
        return new PgVersion(Integer.parseInt(v.substring(0, dot)) * 10_000 + Integer.parseInt(v.substring(dot + 1)) * 100);
    }

    /** A major version as written in a data directory's PG_VERSION file ("13", "9.6"). */
    public static Number majorOf(String pgVersionFile) {
        String v = pgVersionFile.trim();
        return v.contains(".") ? (Number) new BigDecimal(v) : (Number) Integer.valueOf(v);
    }
}
