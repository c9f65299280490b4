package dev.cutover.pg;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PGobject;

/** A JDBC result as the rows cutover passes around: column label → value, PostgreSQL objects as text, arrays as lists. */
public final class Rows {
    private Rows() {
    }

    public static List<Map<String, Object>> of(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), value(rs.getObject(i)));
            rows.add(row);
        }
        return rows;
    }

    static Object value(Object v) throws SQLException {
        if (v instanceof PGobject o) return o.getValue();
        if (v instanceof Array a) return Arrays.asList((Object[]) a.getArray());
        return v;
    }
}
