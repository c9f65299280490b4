package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * Database, schema and table names with a colon, slash, space, quotes, unicode, ?, &amp;, % and =
 * survive snapshot, verify, the pre-flight and an upgrade by dump (each a real name an operator can have).
 */
@LabTest
class IdentifiersTest {
    static final List<String> DATABASES = List.of("app:eu", "a/b c", "q\"uo'te\\", "zürich ✓", "50%25=half&more?x");
    static final String SCHEMA = "s:1/ü \"x\"";
    static final String TABLE = "t ?&%=';";
    private final Lab lab;
    private Shell shell;

    IdentifiersTest(Lab lab) {
        this.lab = lab;
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A Groovy list literal of the names, single-quoted. */
    static String groovyList(List<String> names) {
        return names.stream().map(n -> "'" + n.replace("\\", "\\\\").replace("'", "\\'") + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    @BeforeEach
    void databases() throws Exception {
        lab.reset();
        // One template with the odd schema and table, copied into each odd database (test plumbing never connects to them by name).
        lab.query(Lab.PORT_BASE, "postgres", "drop database if exists odd_template");
        lab.query(Lab.PORT_BASE, "postgres", "create database odd_template");
        lab.query(Lab.PORT_BASE, "odd_template", "create schema " + ident(SCHEMA) + "; create table " + ident(SCHEMA) + "." + ident(TABLE)
                + " (id int primary key, \"v:al ue\" text); insert into " + ident(SCHEMA) + "." + ident(TABLE)
                + " select g, 'row ' || g from generate_series(1, 50) g");
        for (String db : DATABASES) {
            lab.query(Lab.PORT_BASE, "postgres", "drop database if exists " + ident(db));
            lab.query(Lab.PORT_BASE, "postgres", "create database " + ident(db) + " template odd_template");
        }
        lab.query(Lab.PORT_BASE, "postgres", "drop database odd_template");
        shell = new Shell(lab.params());
        shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata");
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
        for (String db : DATABASES) lab.query(Lab.PORT_BASE, "postgres", "drop database if exists " + ident(db) + " with (force)");
    }

    @Test
    void snapshotAndVerifyReachEveryOddlyNamedDatabaseAndTable() {
        shell.eval("snap = snapshot old, databases: " + groovyList(DATABASES));
        @SuppressWarnings("unchecked")
        Map<String, Object> tables = (Map<String, Object>) shell.eval("snap.tables");
        assertEquals(DATABASES.size(), tables.size(), tables.toString());
        shell.clear();
        shell.eval("verify old, against: snap");
        assertTrue(shell.outputText().contains("ok    tables: " + DATABASES.size() + " tables: row counts and content hashes equal"), shell.outputText());
    }

    @Test
    void anUpgradeByDumpCarriesEveryOddlyNamedDatabaseAndVerifies() throws Exception {
        shell.eval("snap = snapshot old, databases: " + groovyList(DATABASES) + "\n"
                + "upgrade old, bindir: params.new15_bindir, pgdata: params.new15_pgdata, port: params.new15_port, check: true\n"
                + "up = upgrade old, bindir: params.new15_bindir, pgdata: params.new15_pgdata, port: params.new15_port, method: 'dump'");
        shell.clear();
        shell.eval("verify up, version: 15, against: snap");
        assertTrue(shell.outputText().contains("ok    tables: " + DATABASES.size() + " tables: row counts and content hashes equal"), shell.outputText());
        for (String db : DATABASES) {
            assertEquals(1L, ((Number) lab.query(Integer.parseInt(lab.param("new15_port")), "postgres",
                    "select count(*) from pg_database where datname = '" + db.replace("'", "''") + "'").get(0).get("count")).longValue(), db);
        }
    }
}
