package dev.cutover.pg;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.cutover.spi.Durations;

/**
 * Servers a command of this session stopped on purpose (promote stops the old primary), with who
 * stopped them and when. A server stopped that way is the way back, so the commands that come
 * after (unfreeze, upgrade) can say what it is instead of failing on a refused connection.
 */
public final class StoppedServers {
    /**
     * @param server     the server that was stopped
     * @param by         the command that stopped it ("promote")
     * @param replacedBy the server that took over from it (the promoted standby), or null
     */
    public record Stop(Server server, String by, Instant at, Server replacedBy) {
        /** "promote stopped it at 12:00:01Z". */
        public String describe() {
            return by + " stopped it at " + Durations.timeOfDay(at);
        }
    }

    private final List<Stop> stops = new CopyOnWriteArrayList<>();

    public void add(Server server, String by, Instant at, Server replacedBy) {
        stops.add(new Stop(server, by, at, replacedBy));
    }

    /** The latest stop of the server at this address. */
    public Optional<Stop> of(ConnInfo endpoint) {
        Stop found = null;
        for (Stop s : stops) {
            ConnInfo c = s.server().getConnInfo();
            if (c.host().equals(endpoint.host()) && c.port() == endpoint.port()) found = s;
        }
        return Optional.ofNullable(found);
    }

    /** The latest stop of a server that {@code successor} took over from. */
    public Optional<Stop> replacedBy(Server successor) {
        Stop found = null;
        for (Stop s : stops) if (s.replacedBy() == successor) found = s;
        return Optional.ofNullable(found);
    }
}
