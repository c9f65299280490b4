package dev.cutover.pg;

/** A WAL position, {@code 16/B374D848}: comparable, with byte differences for lag. */
public record Lsn(long value) implements Comparable<Lsn> {

    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException("not an LSN: " + text);
        long hi = Long.parseLong(text.substring(0, slash).trim(), 16);
        long lo = Long.parseLong(text.substring(slash + 1).trim(), 16);
        return new Lsn((hi << 32) | lo);
    }

    public long minus(Lsn other) {
        return value - other.value;
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
