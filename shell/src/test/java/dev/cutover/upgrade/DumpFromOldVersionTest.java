package dev.cutover.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.OldVersions;
import dev.cutover.lab.Shell;

/** The version matrix: a PostgreSQL 9.6 server (pg_xlog era) moved to 15 on another host by dump and restore. */
@LabTest
class DumpFromOldVersionTest {
    private static final int PORT = Lab.PORT_BASE + 6;
    private final Lab lab;
    private Shell shell;

    DumpFromOldVersionTest(Lab lab) {
        this.lab = lab;
    }

    @AfterEach
    void close() {
        if (shell != null) shell.close();
    }

    @Test
    void aNineSixServerIsDumpedIntoFifteenWithRolesExtensionsAndEveryRow() throws Exception {
        String bin = OldVersions.pg96();
        Path data = Path.of(Lab.DIR, "old96");
        String out = Lab.shell("runuser -u postgres -- " + bin + "/initdb -D " + data + " -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 && "
                + "runuser -u postgres -- " + bin + "/pg_ctl -D " + data + " -o '-p " + PORT + " -c listen_addresses=127.0.0.1 -k /tmp' -l "
                + data + "/server.log -w start >/dev/null && echo started");
        assertTrue(out.contains("started"), out);
        lab.query(PORT, "postgres", "create role app96 login password 'pw'; create database shop owner app96");
        lab.query(PORT, "shop", "create extension citext; create table customers (id serial primary key, email citext not null, note text); "
                + "insert into customers (email, note) select 'User' || g || '@Example.com', repeat('x', g % 50) from generate_series(1, 20000) g; "
                + "alter table customers owner to app96");

        shell = new Shell(lab.params());
        shell.eval("old96 = connect 'old96', url: 'postgresql://postgres@127.0.0.1:" + PORT + "/postgres', pgdata: '" + data + "', bindir: '" + bin + "'\n"
                + "temp = connect 'temp', url: params.temp_url, ssh: params.temp_ssh, pgdata: params.temp_pgdata, bindir: params.new15_bindir");
        assertEquals("9.6", String.valueOf(shell.eval("old96.version")));
        shell.eval("snap = snapshot old96\nupgrade old96, method: 'dump', to: temp");
        shell.clear();
        shell.eval("verify temp, version: 15, against: snap");
        String report = shell.outputText();
        assertTrue(report.contains("ok    tables: 1 tables: row counts and content hashes equal the snapshot of old96"), report);
        assertTrue(report.contains("ok    roles"), report);
        int temp = Integer.parseInt(lab.param("temp_url").replaceAll(".*:(\\d+)/.*", "$1"));
        assertEquals(Boolean.TRUE, lab.query(temp, "shop", "select email = 'USER7@example.COM' as eq from customers where id = 7").get(0).get("eq"),
                "citext compares case-insensitively on 15");
        assertEquals("app96", lab.query(temp, "shop", "select tableowner from pg_tables where tablename = 'customers'").get(0).get("tableowner"));
    }
}
