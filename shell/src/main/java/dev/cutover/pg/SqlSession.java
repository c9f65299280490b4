package dev.cutover.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Server} talks SQL: the one seam between cutover and a live PostgreSQL session.
 * {@link JdbcSession} is the real one; a unit test of a command gives its server a fake one.
 */
public interface SqlSession extends AutoCloseable {

    /** Runs SQL on the server's own database (several statements allowed without params; bind parameters as {@code ?}). */
    SqlResult sql(String text, Object... params);

    /** Rows of a query run in another database of the same server. */
    List<Map<String, Object>> sqlIn(String database, String text, Object... params);

    /** A connection to another database of the same server (for per-database work); the caller closes it. */
    Connection openConnection(String database) throws SQLException;

    /** Asks the server what it is now: version, role, timeline, LSN, data directory; not running is a status, not an error. */
    ServerStatus probe();

    @Override
    void close();
}
