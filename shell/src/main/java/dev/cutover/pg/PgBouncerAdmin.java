package dev.cutover.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cutover.spi.CommandException;

/**
 * PgBouncer's admin console: SHOW, PAUSE, RESUME, RELOAD. It speaks only the simple query
 * protocol. pgjdbc's extra_float_digits startup parameter, which a stock pgbouncer.ini refuses, is
 * left out of the startup packet by {@link ConsoleSocketFactory}; where it cannot be (the console
 * negotiated TLS) the refusal names the setting to add.
 */
public final class PgBouncerAdmin implements AutoCloseable {
    private final ConnInfo info;
    private final Connection connection;

    private PgBouncerAdmin(ConnInfo info, Connection connection) {
        this.info = info;
        this.connection = connection;
    }

    public static PgBouncerAdmin open(ConnInfo info) throws SQLException {
        ConnInfo console = info.database().equals("pgbouncer") ? info : info.withDatabase("pgbouncer");
        var props = console.jdbcProperties();
        props.setProperty("preferQueryMode", "simple");
        // Otherwise pgjdbc follows up the handshake with SET extra_float_digits, which the console refuses.
        props.setProperty("assumeMinServerVersion", "9.4");
        props.setProperty("socketFactory", ConsoleSocketFactory.class.getName());
        Connection c;
        try {
            c = DriverManager.getConnection(console.jdbcUrl(), props);
        } catch (SQLException e) {
            String refusal = explainRefusal(e.getMessage(), console.host(), console.port());
            if (refusal != null) throw new CommandException(refusal, e);
            throw e;
        }
        c.setAutoCommit(true);
        return new PgBouncerAdmin(console, c);
    }

    /** One line naming the setting to add when the console refused a startup parameter; null for any other failure. */
    static String explainRefusal(String message, String host, int port) {
        Matcher m = UNSUPPORTED.matcher(String.valueOf(message));
        if (!m.find()) return null;
        String param = m.group(1);
        return "PgBouncer " + host + ":" + port + " refused the console connection: unsupported startup parameter " + param
                + ": add ignore_startup_parameters = " + param + " to [pgbouncer] in its pgbouncer.ini (/etc/pgbouncer/pgbouncer.ini) and RELOAD";
    }

    private static final Pattern UNSUPPORTED = Pattern.compile("unsupported startup parameter:? (\\w+)");

    public ConnInfo info() {
        return info;
    }

    public List<Map<String, Object>> show(String what) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW " + what)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                rows.add(row);
            }
            return rows;
        }
    }

    /** PAUSE, RESUME, RELOAD...: blocks as long as PgBouncer does (PAUSE waits for server connections to be released). */
    public void command(String command) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(command);
        }
    }

    /** A setting from SHOW CONFIG. */
    public String config(String key) throws SQLException {
        for (Map<String, Object> row : show("CONFIG")) {
            if (key.equals(row.get("key"))) return String.valueOf(row.get("value"));
        }
        return null;
    }

    /** The database's row of SHOW DATABASES, or null. */
    public Map<String, Object> database(String name) throws SQLException {
        for (Map<String, Object> row : show("DATABASES")) {
            if (name.equals(row.get("name"))) return row;
        }
        return null;
    }

    /** The pool mode that applies to a database: its own, else the global one. */
    public String poolMode(String database) throws SQLException {
        Map<String, Object> db = database(database);
        Object own = db == null ? null : db.get("pool_mode");
        return own != null && !String.valueOf(own).isBlank() ? String.valueOf(own) : config("pool_mode");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // console already gone
        }
    }

    public static String quoteIdent(String name) {
        return name.matches("[a-z_][a-z0-9_]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
