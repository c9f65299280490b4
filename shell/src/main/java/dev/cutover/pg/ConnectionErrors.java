package dev.cutover.pg;

import java.net.ConnectException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/**
 * A failed connection or statement as one line an operator can act on: not running, timed out,
 * which password was wrong and where it came from, peer authentication, TLS, unknown host.
 */
final class ConnectionErrors {
    private ConnectionErrors() {
    }

    static String describe(ConnInfo conn, SQLException e) {
        Throwable cause = e.getCause();
        String where = conn.where();
        if (loginTimedOut(e)) {
            return "connect to " + where + " timed out after " + conn.connectTimeoutSeconds()
                    + "s (nothing answered as PostgreSQL there)";
        }
        if (conn.isUnixSocket() && "08001".equals(e.getSQLState()) && !fromServer(e)) {
            return "not running (no server at " + where + " on this machine: " + firstLine(e.getMessage()) + ")";
        }
        if (cause instanceof ConnectException || "08001".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("refused")) {
            return "not running (connection refused at " + where + ")";
        }
        if ("28P01".equals(e.getSQLState())) {
            String origin = conn.origin("password");
            return "password authentication failed for user \"" + conn.user() + "\" at " + where
                    + (conn.password() == null ? " (no password given: url, password:, PGPASSWORD, a service or ~/.pgpass)"
                    : " (password from " + (origin == null ? "the url" : origin) + ")");
        }
        if ("28000".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("Peer authentication failed")) {
            return peerRefused(conn);
        }
        if ("28000".equals(e.getSQLState())) {
            return "not allowed to connect as \"" + conn.user() + "\" at " + where + ": "
                    + firstLine(e.getMessage()) + " (check pg_hba.conf)";
        }
        if (String.valueOf(e.getMessage()).contains("SSL") && !fromServer(e)) {
            String mode = conn.options().get("sslmode");
            return firstLine(e.getMessage()) + " at " + where
                    + (mode == null ? "" : " (sslmode=" + mode + " from " + conn.origin("sslmode") + ")");
        }
        if ("3D000".equals(e.getSQLState())) {
            return firstLine(e.getMessage()) + " at " + where;
        }
        if (cause instanceof java.net.UnknownHostException) {
            return "unknown host '" + conn.host() + "'";
        }
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            var m = p.getServerErrorMessage();
            return m.getSeverity() + ": " + m.getMessage() + " (SQL state " + m.getSQLState() + ")"
                    + (m.getHint() != null ? "; hint: " + m.getHint() : "");
        }
        return firstLine(e.getMessage());
    }

    private static boolean fromServer(SQLException e) {
        return e instanceof PSQLException p && p.getServerErrorMessage() != null;
    }

    /**
     * Peer authentication compares the login role with the operating-system user of the process at
     * the other end of the socket: this JVM's, which only a different way of running can change.
     */
    private static String peerRefused(ConnInfo conn) {
        String os = System.getProperty("user.name");
        return "peer authentication at " + conn.where() + " wants the operating-system user to be \"" + conn.user()
                + "\" and cutover runs as \"" + os + "\": run cutover as " + conn.user() + " (sudo -u " + conn.user()
                + " scripts/cutover ...), or connect over TCP with a password (host=127.0.0.1 and ~/.pgpass)";
    }

    /** pgjdbc's loginTimeout ("Connection attempt timed out.") or a socket timeout while logging in. */
    private static boolean loginTimedOut(SQLException e) {
        if (!"08001".equals(e.getSQLState())) return false;
        return e.getCause() instanceof java.net.SocketTimeoutException || String.valueOf(e.getMessage()).startsWith("Connection attempt timed out");
    }

    static String firstLine(String text) {
        if (text == null) return "";
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " …";
    }
}
