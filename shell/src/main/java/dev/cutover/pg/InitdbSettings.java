package dev.cutover.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a new cluster must share with the old one for pg_upgrade to accept it (and for the data to
 * mean the same): encoding, collation and ctype, data checksums, WAL segment size and the install
 * user. Newer versions change initdb defaults (PostgreSQL 18 turns checksums on), so cutover passes
 * every one of them explicitly instead of trusting defaults.
 *
 * @param encoding    "UTF8"; null when unknown (old cluster not running)
 * @param walSegmentMb 16 unless the old cluster was initialised with --wal-segsize
 */
public record InitdbSettings(String encoding, String collate, String ctype, boolean checksums, int walSegmentMb, String installUser) {

    /** initdb arguments (after -D) for a cluster of the given version with these settings. */
    public List<String> initdbArgs(PgVersion target) {
        List<String> a = new ArrayList<>();
        if (installUser != null) a.addAll(List.of("-U", installUser));
        if (encoding != null) a.addAll(List.of("-E", encoding));
        if (collate != null) a.add("--lc-collate=" + collate);
        if (ctype != null) a.add("--lc-ctype=" + ctype);
        // 15 added ICU as a cluster-wide provider; an old cluster before 15 is always libc.
        if (target.num() >= 150_000) a.add("--locale-provider=libc");
        if (checksums) {
            a.add("--data-checksums");
        } else if (target.num() >= 180_000) {
            a.add("--no-data-checksums");
        }
        if (walSegmentMb > 0 && walSegmentMb != 16 && target.num() >= 110_000) a.add("--wal-segsize=" + walSegmentMb);
        return a;
    }

    /** What differs between an existing new cluster (from its pg_controldata) and the old one; empty when they match. */
    public List<String> differences(InitdbSettings other) {
        List<String> d = new ArrayList<>();
        if (checksums != other.checksums) d.add("data checksums " + onOff(checksums) + " on old, " + onOff(other.checksums) + " on new");
        if (walSegmentMb != other.walSegmentMb) d.add("WAL segment size " + walSegmentMb + " MB on old, " + other.walSegmentMb + " MB on new");
        if (other.encoding != null && !Objects.equals(encoding, other.encoding)) d.add("encoding " + encoding + " on old, " + other.encoding + " on new");
        return d;
    }

    /** The settings pg_controldata shows (checksums, segment size); the rest unknown. */
    public static InitdbSettings fromControlData(ControlData cd) {
        String seg = cd.get("Bytes per WAL segment");
        int mb = seg == null ? 16 : (int) (Long.parseLong(seg.trim()) / (1024 * 1024));
        return new InitdbSettings(null, null, null, cd.dataChecksums(), mb, null);
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    public String describe() {
        return (encoding == null ? "encoding unknown" : encoding) + ", collate " + collate + ", ctype " + ctype
                + ", checksums " + onOff(checksums) + ", WAL segments " + walSegmentMb + " MB, install user " + installUser;
    }
}
