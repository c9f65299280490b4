package dev.cutover.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.Shell;

/**
 * Debian's default local server: no TCP at all, {@code local all all peer}. A PostgreSQL 15 of the
 * test's own, started as postgres on a socket in a temp directory; the tests run as root, so the
 * role {@code root} gets in by peer authentication and {@code postgres} is refused with the reason.
 */
class UnixSocketPeerTest {
    private static final String BIN = "/usr/lib/postgresql/15/bin";
    /** Only a socket file's name: nothing listens on TCP. */
    private static final int PORT = Integer.getInteger("cutover.test.portBase", 5513) + 9;
    private static Path dir;
    private Shell shell;

    @BeforeAll
    static void socketOnlyServer() throws Exception {
        dir = Files.createTempDirectory("cutover-peer");
        String d = dir.toString();
        String out = Lab.shell("set -e; chmod 755 " + d + "; mkdir " + d + "/run; chown postgres " + d + " " + d + "/run;"
                + " runuser -u postgres -- " + BIN + "/initdb -D " + d + "/data -U postgres --auth-local=peer --auth-host=reject >/dev/null;"
                + " runuser -u postgres -- " + BIN + "/pg_ctl -D " + d + "/data -l " + d + "/log -w -o \"-c listen_addresses='' -c unix_socket_directories="
                + d + "/run -p " + PORT + "\" start >/dev/null;"
                + " runuser -u postgres -- " + BIN + "/psql -X -q -h " + d + "/run -p " + PORT + " -d postgres -c 'create role root login'; echo ready");
        assertTrue(out.contains("ready"), out);
    }

    @AfterAll
    static void stop() throws Exception {
        Lab.shell("runuser -u postgres -- " + BIN + "/pg_ctl -D " + dir + "/data -m immediate -w stop; rm -rf '" + dir + "'");
    }

    @BeforeEach
    void open() {
        shell = new Shell(Map.of());
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private String socket() {
        return dir.resolve("run") + "/.s.PGSQL." + PORT;
    }

    @Test
    void aSocketDirectoryInTheConninfoConnectsByPeerAuthentication() {
        shell.eval("s = connect 's', url: 'host=" + dir.resolve("run") + " port=" + PORT + " dbname=postgres user=root'");
        assertTrue(shell.output().get(0).startsWith("s: PostgreSQL 15."), shell.outputText());
        assertTrue(shell.output().get(0).endsWith(" · " + socket() + " via local (as postgres)"), shell.outputText());
        assertEquals("root", shell.eval("s.sql('select current_user as u')[0].u"));
    }

    @Test
    void pgHostNamingTheSocketDirectoryDoesTheSame() {
        shell.notebook.sessionState(OperatorEnvironment.class, () -> new OperatorEnvironment(
                Map.of("PGHOST", dir.resolve("run").toString(), "PGPORT", String.valueOf(PORT), "PGUSER", "root", "PGDATABASE", "postgres"), dir));
        assertEquals("root", shell.eval("connect('s').sql('select current_user as u')[0].u"));
    }

    @Test
    void peerAuthenticationForAnotherOsUserSaysWhatToDoInOneLine() {
        String e = shell.error("connect 's', url: 'host=" + dir.resolve("run") + " port=" + PORT + " user=postgres'");
        assertEquals("<input>:1: s: peer authentication at " + socket() + " wants the operating-system user to be \"postgres\" and cutover runs as \"root\": "
                + "run cutover as postgres (sudo -u postgres scripts/cutover ...), or connect over TCP with a password (host=127.0.0.1 and ~/.pgpass)", e);
    }

    @Test
    void noServerOnTheSocketIsNotRunning() {
        shell.eval("s = connect 's', url: 'host=" + dir.resolve("run") + " port=" + (PORT + 1) + " user=root'");
        assertTrue(shell.output().get(0).startsWith("s: not running (no server at " + dir.resolve("run") + "/.s.PGSQL." + (PORT + 1) + " on this machine"),
                shell.outputText());
        assertEquals(false, shell.eval("s.running"));
    }
}
