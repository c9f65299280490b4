package dev.cutover.upgrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandResult;
import dev.cutover.pg.HasServer;
import dev.cutover.pg.Server;
import dev.cutover.spi.Durations;

/**
 * What {@code upgrade} did: the new server (commands given this result receive it), each phase's
 * time, how long the database was unavailable, and whether the old cluster can still be started.
 * Groovy reaches the server's own properties and methods through it ({@code up.version},
 * {@code up.sql('...')}).
 */
public record Upgraded(Server server, String from, String to, String method, Map<String, Duration> phases, Duration downtime,
                       String rollback, String workdir, String analyze, List<String> actions) implements CommandResult, HasServer {

    @Override
    public Server getServer() {
        return server;
    }

    @Override
    public String summary() {
        return server.getName() + ": " + from + " → " + to + " by " + method + " in " + Durations.format(total())
                + (downtime == null ? "" : "; database unavailable " + Durations.format(downtime) + " (stop → new server accepting connections)")
                + "; statistics: " + analyze + "; rollback: " + rollback;
    }

    public Duration total() {
        return phases.values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        phases.forEach((phase, d) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("phase", phase);
            r.put("took", Durations.format(d));
            rows.add(r);
        });
        return rows;
    }

    @Override
    public Duration elapsed() {
        return total();
    }

    // Groovy: anything not on the result is the server's (up.version, up.sql('select 1')).
    public Object propertyMissing(String name) {
        return org.codehaus.groovy.runtime.InvokerHelper.getProperty(server, name);
    }

    public Object methodMissing(String name, Object args) {
        return org.codehaus.groovy.runtime.InvokerHelper.invokeMethod(server, name, args);
    }

    public Map<String, Duration> getPhases() {
        return phases;
    }

    public Duration getDowntime() {
        return downtime;
    }

    public String getRollback() {
        return rollback;
    }

    public Object sql(String text, Object... params) {
        return server.sql(text, params);
    }

    public Object getVersion() {
        return server.getVersion();
    }

    @Override
    public String toString() {
        return summary();
    }
}
