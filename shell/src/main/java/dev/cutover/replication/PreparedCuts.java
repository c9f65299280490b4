package dev.cutover.replication;

import java.util.HashMap;
import java.util.Map;

/**
 * Connections a {@code promote ..., prepare: true} opened and warmed before the window, by link,
 * for the cut to take; closed with the session when no cut takes them.
 */
final class PreparedCuts implements AutoCloseable {
    private final Map<String, Databases> byLink = new HashMap<>();

    synchronized void keep(String link, Databases dbs) {
        Databases previous = byLink.put(link, dbs);
        if (previous != null && previous != dbs) previous.close();
    }

    /** The link's prepared connections, now the caller's to close; null when none were prepared. */
    synchronized Databases take(String link) {
        return byLink.remove(link);
    }

    @Override
    public synchronized void close() {
        byLink.values().forEach(Databases::close);
        byLink.clear();
    }
}
