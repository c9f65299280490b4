package dev.cutover.spi;

/**
 * One pre-flight check line: what was checked, how it went, what was seen, and how to fix it.
 */
public record Check(String name, Status status, String detail, String fix) {
    public enum Status { OK, WARN, FAIL }

    public static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, null);
    }

    public static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    public static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }

    /** {@code ok    wal_level: replica} / {@code FAIL  free wal senders: 0 of 10 (fix: raise max_wal_senders)}. */
    public String line() {
        String word = switch (status) {
            case OK -> "ok  ";
            case WARN -> "warn";
            case FAIL -> "FAIL";
        };
        return word + "  " + name + ": " + detail + (fix == null ? "" : " (fix: " + fix + ")");
    }
}
