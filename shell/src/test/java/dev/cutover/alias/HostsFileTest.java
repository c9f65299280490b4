package dev.cutover.alias;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostsFileTest {
    static final String HOSTS = "# app1\n127.0.0.1\tlocalhost\n\n10.0.0.2\tdb.internal   # the database\n10.0.0.9 other\n";

    @Test
    void replacesTheAddressAndLeavesEveryOtherByteAlone() {
        String out = HostsFile.point(HOSTS, "db.internal", "10.0.0.3");
        assertEquals(HOSTS.replace("10.0.0.2\tdb.internal", "10.0.0.3\tdb.internal"), out);
        assertEquals("10.0.0.3", HostsFile.resolve(out, "db.internal"));
    }

    @Test
    void splitsASharedLineAndAppendsWhenAbsent() {
        String shared = "10.0.0.2 db db.internal\n";
        assertEquals("10.0.0.2 db\n10.0.0.3\tdb.internal\n", HostsFile.point(shared, "db.internal", "10.0.0.3"));
        assertEquals("127.0.0.1 localhost\n10.0.0.3\tdb.internal\n", HostsFile.point("127.0.0.1 localhost\n", "db.internal", "10.0.0.3"));
    }

    @Test
    void pgbouncerEntryKeepsItsOtherSettings() {
        String ini = "[databases]\n; comment\nappdb = host=10.0.0.2 port=5432 dbname=appdb pool_size=20\nother = host=x\n\n[pgbouncer]\nlisten_port = 6432\n";
        String out = PgBouncerIni.point(ini, "appdb", "10.0.0.3", 5433, null);
        assertEquals(ini.replace("host=10.0.0.2 port=5432", "host=10.0.0.3 port=5433"), out);
        assertEquals(Map.of("host", "10.0.0.3", "port", "5433", "dbname", "appdb", "pool_size", "20"), PgBouncerIni.entry(out, "appdb"));
        assertEquals("[databases]\nnew = host=h port=1 dbname=new\n[pgbouncer]\n", PgBouncerIni.point("[databases]\n[pgbouncer]\n", "new", "h", 1, null));
    }
}
