package dev.cutover.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ~/.ssh/config read as ssh(1) reads it, on a temp home. */
class SshRouterTest {
    @TempDir
    Path home;

    private SshRoute route(String config, String written) throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("config"), config);
        return new SshRouter(SshConfig.load(ssh), "alice").route(written);
    }

    @Test
    void firstValueWinsIdentityFilesAddUpAndTokensExpand() throws Exception {
        String config = "# site defaults last, as OpenSSH wants them\n"
                + "Host db1 db1.example\n  HostName 10.0.0.5\n  Port=2200\n  IdentityFile ~/.ssh/%r_at_%h\n  UserKnownHostsFile \"~/.ssh/known hosts\"\n"
                + "Host db*\n  User postgres\n  Port 22\n  IdentityFile %d/.ssh/id_site\n  IdentitiesOnly yes\n";
        SshRoute r = route(config, "db1");
        assertEquals(new SshTarget("postgres", "10.0.0.5", 2200), r.destination().target());
        assertEquals(List.of(home.resolve(".ssh/postgres_at_10.0.0.5"), home.resolve(".ssh/id_site")), r.destination().identityFiles());
        assertTrue(r.destination().identitiesOnly());
        assertEquals(home.resolve(".ssh/known hosts"), r.destination().knownHosts());
        assertEquals(new SshTarget("root", "10.0.0.5", 2201), route(config, "root@db1:2201").destination().target(), "written wins");
    }

    @Test
    void patternsNegationAndNoConfigAtAll() throws Exception {
        String config = "Host *.prod !bastion.prod\n  ProxyJump bastion.prod\nHost bastion.prod\n  User jump\n";
        SshRoute r = route(config, "db.prod");
        assertEquals(List.of(new SshTarget("jump", "bastion.prod", 22)), r.jumps().stream().map(SshHop::target).toList());
        assertTrue(route(config, "bastion.prod").jumps().isEmpty(), "a negated pattern never matches");
        SshRoute plain = new SshRouter(SshConfig.load(home.resolve("nowhere")), "alice").route("10.1.1.1");
        assertEquals(new SshTarget("alice", "10.1.1.1", 22), plain.destination().target());
        assertEquals(home.resolve("nowhere/known_hosts"), plain.destination().knownHosts());
    }

    @Test
    void proxyJumpListsAndChainsAndNone() throws Exception {
        String config = "Host inner\n  HostName 10.9.0.1\n  ProxyJump outer\nHost outer\n  HostName 203.0.113.7\n  Port 2222\n"
                + "Host app\n  HostName 10.9.0.2\n  ProxyJump inner,ops@10.9.0.3:2022\nHost lonely\n  ProxyJump none\n";
        SshRoute r = route(config, "app");
        assertEquals(List.of(new SshTarget("alice", "203.0.113.7", 2222), new SshTarget("alice", "10.9.0.1", 22),
                new SshTarget("ops", "10.9.0.3", 2022)), r.jumps().stream().map(SshHop::target).toList());
        assertEquals("alice@10.9.0.2 via alice@203.0.113.7:2222, alice@10.9.0.1, ops@10.9.0.3:2022", r.toString());
        assertTrue(route(config, "lonely").jumps().isEmpty());
    }

    @Test
    void includeAndMatchBlocks() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.createDirectories(ssh.resolve("config.d"));
        Files.writeString(ssh.resolve("config.d/10-db"), "Host db\n  HostName 10.2.2.2\n");
        // Match host compares the HostName obtained so far (10.2.2.2), as ssh does: "db" no longer matches
        SshRoute r = route("Include config.d/*\nMatch host db\n  User never\nHost *\n  User someone\n", "db");
        assertEquals(new SshTarget("someone", "10.2.2.2", 22), r.destination().target());
        assertFalse(r.destination().identitiesOnly());
        r = route("Include config.d/*\nMatch host 10.2.* user *,!root\n  ProxyJump bastion\n  Port 2200\nHost bastion\n  HostName 10.0.0.1\n", "db");
        assertEquals(new SshTarget("alice", "10.2.2.2", 2200), r.destination().target(), "Match host (after HostName) and user (the local one)");
        assertEquals(List.of(new SshTarget("alice", "10.0.0.1", 22)), r.jumps().stream().map(SshHop::target).toList());
        r = route("Include config.d/*\nMatch host 10.2.* user *,!root\n  ProxyJump bastion\n", "root@db");
        assertTrue(r.jumps().isEmpty(), "Match user *,!root: a user written before the alias counts");
        r = route("Match originalhost db !user bob\n  HostName 10.9.9.9\nMatch all\n  Port 2222\n", "db");
        assertEquals(new SshTarget("alice", "10.9.9.9", 2222), r.destination().target(), "originalhost, a negated criterion, all");
    }

    @Test
    void aMatchCutoverCannotEvaluateIsRefusedWhereItCouldApply() throws Exception {
        String config = "Match host db exec \"test -e /etc/vpn\"\n  ProxyJump bastion\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> route(config, "db"));
        assertTrue(e.getMessage().endsWith("config line 1: Match exec is not evaluated by cutover, and its block may apply to db: "
                + "give ssh: as user@host[:port], or a Host alias without it"), e.getMessage());
        assertTrue(route(config, "web").jumps().isEmpty(), "where an earlier criterion already fails, nothing is run or refused");
    }

    @Test
    void badInputIsOneLine() {
        assertEquals("ssh target 'a@b@c' is not [user@]host[:port] or a ~/.ssh/config alias",
                assertThrows(IllegalArgumentException.class, () -> route("", "a@b@c")).getMessage());
        assertEquals("Port of db: 'x' is not a port number",
                assertThrows(IllegalArgumentException.class, () -> route("Host db\n  Port x\n", "db")).getMessage());
    }
}
