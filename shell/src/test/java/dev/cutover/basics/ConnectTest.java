package dev.cutover.basics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

@LabTest
class ConnectTest {
    private final Lab lab;
    private Shell shell;

    ConnectTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void open() {
        shell = new Shell(lab.params());
    }

    @AfterEach
    void close() {
        shell.close();
    }

    @Test
    void connectOverSshShowsVersionPrimaryAndTimeline() {
        Object v = shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\n"
                + "[old.version, old.timeline, old.inRecovery, old.sql('select 1 as one')[0].one]");
        assertEquals(List.of(13, 1, false, 1), v);
        String status = shell.output().get(0);
        assertTrue(status.startsWith("old: PostgreSQL 13."), status);
        assertTrue(status.contains(" · primary · timeline 1 · LSN "), status);
        assertTrue(status.contains("data " + lab.param("old_pgdata")), status);
        assertTrue(status.contains("bindir " + lab.param("old_bindir")), "bindir detected from the running postmaster: " + status);
        assertTrue(status.endsWith("via " + lab.param("old_ssh")), status);
        assertEquals("postgres", ((String) shell.eval("old.sh('id -un', quiet: true).stdout")).strip());
    }

    @Test
    void connectLocallyRunsHostCommandsAsPostgres() {
        shell.eval("loc = connect 'loc', url: params.old_url");
        String status = shell.output().get(0);
        assertTrue(status.contains("PostgreSQL 13.") && status.contains("primary") && status.contains("timeline 1"), status);
        assertTrue(status.endsWith("via local (as postgres)"), status);
        assertEquals("postgres", ((String) shell.eval("loc.sh('id -un', quiet: true).stdout")).strip());
    }

    @Test
    void wrongPasswordIsOneClearLine() {
        String e = shell.error("connect 'app', url: 'postgresql://app:wrong-password@127.0.0.1:" + lab.oldPort() + "/appdb'");
        assertEquals("<input>:1: app: password authentication failed for user \"app\" at 127.0.0.1:" + lab.oldPort()
                + " (password from the url)", e);
        assertFalse(e.contains("wrong-password"));
        assertTrue(shell.eval("connect('app', url: 'postgresql://app:app-secret@127.0.0.1:" + lab.oldPort() + "/appdb').sql('select count(*) as n from customers')[0].n")
                .equals(1000L));
    }

    @Test
    void refusedConnectionIsANotRunningStatusNotAnError() {
        shell.eval("neu = connect 'new', url: 'postgresql://postgres@127.0.0.1:5599/postgres', pgdata: '/srv/pg/absent', bindir: '/usr/lib/postgresql/15/bin'");
        assertEquals("new: not running (connection refused at 127.0.0.1:5599) · data /srv/pg/absent · bindir /usr/lib/postgresql/15/bin"
                + " · 127.0.0.1:5599 via local (as postgres)", shell.output().get(0));
        assertEquals(false, shell.eval("neu.running"));
        String e = shell.error("neu.lsn");
        assertTrue(e.endsWith("new: connection refused at 127.0.0.1:5599"), e);
    }

    @Test
    void unknownHostKeyIsRefusedWithHowToAccept(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("known_hosts"));
        String e = shell.error("connect 'old', url: params.old_url, ssh: params.old_ssh, knownHosts: '" + empty + "'");
        assertTrue(e.startsWith("<input>:1: connect old: ssh " + lab.param("old_ssh") + ": host key of [127.0.0.2]:" + Lab.SSH_PORT
                + " is not known (ssh-ed25519 SHA256:"), e);
        assertTrue(e.contains("pass acceptNewHostKey: true"), e);
        assertEquals(1, e.lines().count());
        // accept-new records it; the next connection verifies against it
        shell.eval("connect 'old', url: params.old_url, ssh: params.old_ssh, knownHosts: '" + empty + "', acceptNewHostKey: true");
        assertTrue(Files.readString(empty).contains("[127.0.0.2]:" + Lab.SSH_PORT + " ssh-ed25519 "));
        shell.eval("connect 'again', url: params.old_url, ssh: params.old_ssh, knownHosts: '" + empty + "'");
    }

    @Test
    void changedHostKeyIsAlwaysRefused(@TempDir Path dir) throws Exception {
        Lab.shell("ssh-keygen -q -t ed25519 -N '' -f " + dir.resolve("other"));
        String otherKey = Files.readString(dir.resolve("other.pub")).split(" ")[1];
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "[127.0.0.2]:" + Lab.SSH_PORT + " ssh-ed25519 " + otherKey + "\n");
        String e = shell.error("connect 'old', url: params.old_url, ssh: params.old_ssh, knownHosts: '" + kh + "', acceptNewHostKey: true");
        assertTrue(e.contains("host key of [127.0.0.2]:" + Lab.SSH_PORT + " CHANGED"), e);
        assertTrue(e.contains("refusing to connect"), e);
    }

    @Test
    void unreachableSshAndMalformedUrlAreOneLine() {
        String refused = shell.error("connect 'old', url: params.old_url, ssh: 'postgres@127.0.0.2:2399'");
        assertEquals("<input>:1: connect old: ssh postgres@127.0.0.2:2399: connection refused (is sshd running on 127.0.0.2 port 2399?)", refused);
        String url = shell.error("connect 'old', url: 'mysql://x:secret-pw@h/db'");
        assertEquals("<input>:1: connect old: url 'mysql://x:******@h/db' is not a postgresql://user@host:port/database url", url);
    }

    @Test
    void serverRestartsAndJdbcReconnects() {
        shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata");
        Object pidBefore = shell.eval("old.sql('select pg_backend_pid() as p')[0].p");
        shell.eval("old.restart()");
        Object pidAfter = shell.eval("old.sql('select pg_backend_pid() as p')[0].p");
        assertFalse(pidBefore.equals(pidAfter));
        assertEquals(java.util.Map.of("wal_level", "replica", "max_wal_senders", "10"),
                shell.eval("old.settings('wal_level', 'max_wal_senders')"));
        assertEquals(java.util.List.of(java.util.Map.of("n", 1000L)),
                shell.eval("old2 = connect 'appdb', url: params.old_url.replaceAll('/postgres$', '/appdb')\nold2.sql('select count(*) as n from customers where email = ?::citext', 'user7@example.org') .collect { [n: it.n * 1000] }"));
    }
}
