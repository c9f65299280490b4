package dev.cutover.pg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.cutover.spi.CommandResult;
import dev.cutover.spi.Durations;

/**
 * Rows from a server: a list of maps (column → value), so {@code old.sql('select 1 as one')[0].one}
 * reads naturally in Groovy, rendered as a table on screen and in the transcript.
 */
public final class SqlResult extends ArrayList<Map<String, Object>> implements CommandResult {
    private final String server;
    private final String tag;
    private final Duration elapsed;
    private final String statement;

    SqlResult(String server, List<Map<String, Object>> rows, String tag, Duration elapsed, String statement) {
        super(rows);
        this.server = server;
        this.tag = tag;
        this.elapsed = elapsed;
        this.statement = statement;
    }

    @Override
    public String summary() {
        return server + ": " + tag + " in " + Durations.format(elapsed);
    }

    @Override
    public List<Map<String, Object>> rows() {
        return this;
    }

    @Override
    public List<String> actions() {
        return List.of(server + ": " + statement);
    }

    @Override
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
