package dev.cutover.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * A DBA's libpq habits on the lab's PG13: PG* variables, key=value strings, ~/.pgpass, and TLS that
 * every tool must use too. The server takes the {@code app} role only over TLS with its password
 * ({@code hostnossl ... reject} first in pg_hba), so a vacuumdb that ran at all got both, wherever
 * it ran: locally as postgres, over SSH, and through sudo.
 */
@LabTest
class LibpqConventionsTest {
    private static Path tls;
    private static String hbaBefore;
    private final Lab lab;
    private Shell shell;
    @TempDir
    Path home;

    LibpqConventionsTest(Lab lab) {
        this.lab = lab;
    }

    /** A CA and a server certificate for the lab's addresses; PG13 serves TLS and refuses app without it. */
    @BeforeAll
    static void tlsOnly(Lab lab) throws Exception {
        tls = Files.createTempDirectory("cutover-h-tls");
        String d = tls.toString();
        String out = Lab.shell("set -e; cd " + d + "; chmod 755 .;"
                + " openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=cutover-test-ca -keyout ca.key -out ca.crt 2>/dev/null;"
                + " openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr 2>/dev/null;"
                + " printf 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost\\n' > san.ext;"
                + " openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt 2>/dev/null;"
                + " chown postgres server.key; chmod 600 server.key ca.key; chmod 644 ca.crt server.crt; echo done");
        assertTrue(out.contains("done"), out);
        Path hba = Path.of(lab.param("old_pgdata"), "pg_hba.conf");
        hbaBefore = Files.readString(hba);
        Files.writeString(hba, "hostnossl all app 127.0.0.0/8 reject\n" + hbaBefore);
        lab.query(lab.oldPort(), "postgres", "alter system set ssl = on");
        lab.query(lab.oldPort(), "postgres", "alter system set ssl_cert_file = '" + d + "/server.crt'");
        lab.query(lab.oldPort(), "postgres", "alter system set ssl_key_file = '" + d + "/server.key'");
        lab.query(lab.oldPort(), "postgres", "select pg_reload_conf()");
        Thread.sleep(500);
    }

    @AfterAll
    static void plainAgain(Lab lab) throws Exception {
        Files.writeString(Path.of(lab.param("old_pgdata"), "pg_hba.conf"), hbaBefore);
        for (String s : new String[] {"ssl", "ssl_cert_file", "ssl_key_file"}) lab.query(lab.oldPort(), "postgres", "alter system reset " + s);
        lab.query(lab.oldPort(), "postgres", "select pg_reload_conf()");
        Lab.shell("rm -rf '" + tls + "'");
    }

    @BeforeEach
    void open() {
        shell = new Shell(lab.params());
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private void environment(Map<String, String> variables) {
        shell.notebook.sessionState(OperatorEnvironment.class, () -> new OperatorEnvironment(variables, home));
    }

    private void pgpass(String text) throws Exception {
        Path f = home.resolve(".pgpass");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    private String tlsConninfo() {
        return "host=127.0.0.1 port=" + lab.oldPort() + " user=app dbname=appdb sslmode=verify-full sslrootcert=" + tls.resolve("ca.crt");
    }

    /** The ssh options of a lab host, with the operator's key and the lab's known_hosts named (the temp home has neither). */
    private String ssh(String userAtHost) {
        return "ssh: '" + userAtHost + "', knownHosts: '" + lab.param("ssh_known_hosts") + "', key: '"
                + Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519") + "'";
    }

    private Object ssl(String server) {
        return shell.eval(server + ".sql('select ssl from pg_stat_ssl where pid = pg_backend_pid()')[0].ssl");
    }

    @Test
    void noUrlTakesPgVariablesAndVacuumdbGetsThePasswordAndTlsLocally() {
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(lab.oldPort()), "PGUSER", "app",
                "PGDATABASE", "appdb", "PGPASSWORD", "app-secret", "PGSSLMODE", "verify-full", "PGSSLROOTCERT", tls.resolve("ca.crt").toString()));
        environment(env);
        shell.eval("a = connect 'a'");
        assertTrue(shell.output().get(0).endsWith("127.0.0.1:" + lab.oldPort() + " via local (as postgres)"), shell.outputText());
        assertEquals("app", shell.eval("a.sql('select current_user as u')[0].u"));
        assertEquals(true, ssl("a"));
        shell.eval("analyze a");
        assertFalse(shell.outputText().contains("app-secret"), shell.outputText());
    }

    @Test
    void keywordValueUrlWithPgpassOverSsh() throws Exception {
        pgpass("127.0.0.1:" + lab.oldPort() + ":*:app:app-secret\n");
        environment(Map.of());
        shell.eval("a = connect 'a', url: '" + tlsConninfo() + "', " + ssh(lab.param("old_ssh")));
        assertEquals(true, ssl("a"));
        shell.eval("analyze a");
        assertFalse(shell.outputText().contains("app-secret"), shell.outputText());
    }

    @Test
    void sudoKeepsThePasswordAndTls() throws Exception {
        pgpass("*:*:*:app:app-secret\n");
        environment(Map.of());
        String rootAtOld = "root@" + lab.param("old_ssh").substring(lab.param("old_ssh").indexOf('@') + 1);
        shell.eval("a = connect 'a', url: '" + tlsConninfo() + "', " + ssh(rootAtOld) + ", sudo: 'postgres'");
        assertEquals("postgres", ((String) shell.eval("a.sh('id -un', quiet: true).stdout")).strip());
        shell.eval("analyze a");
    }

    @Test
    void aWrongPasswordNamesTheFileItCameFrom() throws Exception {
        pgpass("127.0.0.1:*:*:app:not-it\n");
        environment(Map.of());
        String e = shell.error("connect 'a', url: '" + tlsConninfo() + "'");
        assertEquals("<input>:1: a: password authentication failed for user \"app\" at 127.0.0.1:" + lab.oldPort()
                + " (password from " + home.resolve(".pgpass") + ")", e);
    }

    @Test
    void withoutTlsTheServerRefusesAndTheLineSaysWhy() {
        environment(Map.of("PGPASSWORD", "app-secret"));
        String e = shell.error("connect 'a', url: 'host=127.0.0.1 port=" + lab.oldPort() + " user=app dbname=appdb sslmode=disable'");
        assertTrue(e.contains("not allowed to connect as \"app\" at 127.0.0.1:" + lab.oldPort()) && e.contains("SSL off"), e);
    }
}
