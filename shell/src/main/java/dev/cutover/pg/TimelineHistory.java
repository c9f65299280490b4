package dev.cutover.pg;

import java.util.ArrayList;
import java.util.List;

/**
 * A timeline history file ({@code %08X.history}): one line per ancestor timeline, ascending,
 * {@code parentTLI<TAB>switch LSN<TAB>reason}. Timeline N's file lists every ancestor, so it is the
 * parent's lines plus one for the switch from the parent to N.
 */
public record TimelineHistory(int timeline, List<Entry> entries) {

    public record Entry(int parent, Lsn switchPoint, String reason) {
        public String line() {
            return parent + "\t" + switchPoint + "\t" + reason;
        }
    }

    public static String fileName(int timeline) {
        return String.format("%08X.history", timeline);
    }

    /** Parses a history file; throws IllegalArgumentException with the line number when it is malformed. */
    public static TimelineHistory parse(int timeline, String text) {
        List<Entry> entries = new ArrayList<>();
        int n = 0;
        int lastParent = 0;
        for (String raw : text.split("\n")) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+", 3);
            if (f.length < 2) throw new IllegalArgumentException("line " + n + ": expected parentTLI, switch LSN and a reason");
            int parent;
            Lsn lsn;
            try {
                parent = Integer.parseInt(f[0]);
                lsn = Lsn.parse(f[1]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + n + ": " + line);
            }
            if (parent <= lastParent || parent >= timeline) throw new IllegalArgumentException("line " + n + ": timeline " + parent + " out of order");
            lastParent = parent;
            entries.add(new Entry(parent, lsn, f.length > 2 ? f[2] : ""));
        }
        if (entries.isEmpty()) throw new IllegalArgumentException("no entries");
        // The last parent need not be timeline - 1 (a standby may have followed an older timeline): still valid.
        return new TimelineHistory(timeline, entries);
    }

    public TimelineHistory plus(int child, Entry e) {
        List<Entry> all = new ArrayList<>(entries);
        all.add(e);
        return new TimelineHistory(child, all);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) sb.append(e.line()).append("\n");
        return sb.toString();
    }
}
