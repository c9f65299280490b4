package dev.cutover.freeze;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cutover.pg.ConnInfo;

/** Small JDBC helpers for freezes, which must work from a transcript alone (no Server object after a resume). */
final class Sql {
    private Sql() {
    }

    static Connection open(ConnInfo info) throws SQLException {
        Connection c = DriverManager.getConnection(info.jdbcUrl(), info.jdbcProperties());
        c.setAutoCommit(true);
        // The freezing session itself must be able to undo the freeze.
        try (var st = c.createStatement()) {
            st.execute("set default_transaction_read_only = off");
        }
        return c;
    }

    /**
     * A connection to undo a freeze with; {@link ServerGone} when nothing listens there any more
     * (promote stopped it), which is not a failure of the undo but a server that is gone.
     */
    static Connection openToUndo(ConnInfo info, String name, String leftInPlace) throws SQLException, ServerGone {
        try {
            return open(info);
        } catch (SQLException e) {
            if (refused(e)) throw new ServerGone(name, info, leftInPlace);
            throw e;
        }
    }

    private static boolean refused(SQLException e) {
        return e.getCause() instanceof java.net.ConnectException
                || "08001".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("refused");
    }

    static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            List<Map<String, Object>> out = new ArrayList<>();
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                        out.add(row);
                    }
                }
            }
            return out;
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String firstLine(String text) {
        String t = String.valueOf(text).strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String describe(List<Map<String, Object>> sessions) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> s : sessions) {
            String q = String.valueOf(s.get("query")).replaceAll("\\s+", " ").strip();
            if (q.length() > 100) q = q.substring(0, 99) + "…";
            out.add("pid " + s.get("pid") + " (" + s.get("usename") + "@" + s.get("datname") + ", " + s.get("state") + " for "
                    + s.get("secs") + "s): " + q);
        }
        return String.join("; ", out);
    }
}
