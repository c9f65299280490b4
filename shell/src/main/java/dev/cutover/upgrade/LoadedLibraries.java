package dev.cutover.upgrade;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session state: the new versions' bin directories whose rehearsal loaded every C library the old cluster
 * uses, and when. The window's pre-flight (no rehearsal of its own) calls the libraries proven only when
 * this session's rehearsal loaded them; otherwise their presence alone is a warning, since a file
 * built for another version would make pg_upgrade fail after the old server was stopped.
 */
final class LoadedLibraries {
    private final Map<String, Instant> byBindir = new ConcurrentHashMap<>();

    void proven(String bindir) {
        byBindir.put(bindir, Instant.now());
    }

    Instant when(String bindir) {
        return byBindir.get(bindir);
    }
}
