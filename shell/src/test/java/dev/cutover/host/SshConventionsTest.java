package dev.cutover.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.engine.Prompter;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * A DBA's OpenSSH habits against the lab's sshd, from a temp home of the test's own: an alias in
 * ~/.ssh/config, ProxyJump through "hosts" 127.0.0.2 → 127.0.0.3, a hashed known_hosts that stays
 * strict, keys held by an ssh-agent the test starts, and a passphrase-protected key file.
 */
@LabTest
class SshConventionsTest {
    private static final String PASSPHRASE = "correct horse battery";
    /** A second sshd (DEBUG log) on 127.0.0.2 and 127.0.0.3: the jump hosts, whose log shows the tunnels they opened. */
    private static final int JUMP_PORT = Lab.SSH_PORT + 1;
    private static Path home;
    private static Path ssh;
    private static Path jumpDir;
    private static String agentPid;
    private final Lab lab;
    private Shell shell;

    SshConventionsTest(Lab lab) {
        this.lab = lab;
    }

    private static String run(String script) throws Exception {
        String out = Lab.shell("set -e; " + script + "; echo ok-done");
        assertTrue(out.contains("ok-done"), script + "\n" + out);
        return out;
    }

    @BeforeAll
    static void keysAgentAndJumpHost(Lab lab) throws Exception {
        home = Files.createTempDirectory("cutover-ssh-home");
        ssh = Files.createDirectories(home.resolve(".ssh"));
        Path labSsh = Path.of(Lab.DIR, "ssh");
        run("cd " + ssh + "; ssh-keygen -q -t ed25519 -N '' -C plain-key -f plain; ssh-keygen -q -t ed25519 -N '" + PASSPHRASE + "' -C locked-key -f locked;"
                + " for u in postgres root; do cat plain.pub locked.pub >> " + labSsh + "/authorized_keys/$u; done");
        // known_hosts: the lab's entries plus the jump sshd's, every one hashed
        String hostKey = Files.readString(labSsh.resolve("ssh_host_ed25519_key.pub")).strip().replaceAll("\\s+\\S+$", "");
        String kh = Files.readString(Path.of(lab.param("ssh_known_hosts")))
                + "[127.0.0.2]:" + JUMP_PORT + " " + hostKey + "\n[127.0.0.3]:" + JUMP_PORT + " " + hostKey + "\n";
        Files.writeString(ssh.resolve("hashed_known_hosts"), kh);
        run("ssh-keygen -q -H -f " + ssh.resolve("hashed_known_hosts") + " >/dev/null 2>&1; rm -f " + ssh.resolve("hashed_known_hosts.old"));
        // an agent of the test's own, holding the passphrase-protected key (ssh-add asks through SSH_ASKPASS)
        Files.writeString(home.resolve("askpass"), "#!/bin/sh\necho '" + PASSPHRASE + "'\n");
        String agent = run("chmod 700 " + home.resolve("askpass") + "; ssh-agent -a " + home.resolve("agent.sock") + " | grep -o 'SSH_AGENT_PID=[0-9]*';"
                + " SSH_AUTH_SOCK=" + home.resolve("agent.sock") + " SSH_ASKPASS=" + home.resolve("askpass") + " SSH_ASKPASS_REQUIRE=force"
                + " setsid ssh-add " + ssh.resolve("locked") + " </dev/null 2>/dev/null");
        agentPid = agent.replaceAll("(?s).*SSH_AGENT_PID=(\\d+).*", "$1");
        jumpDir = Files.createTempDirectory("cutover-jump-sshd");
        String config = Files.readString(labSsh.resolve("sshd_config")).lines()
                .filter(l -> !l.startsWith("ListenAddress") && !l.startsWith("PidFile") && !l.startsWith("LogLevel"))
                .reduce("", (a, l) -> a + l + "\n")
                + "ListenAddress 127.0.0.2:" + JUMP_PORT + "\nListenAddress 127.0.0.3:" + JUMP_PORT + "\nPidFile " + jumpDir.resolve("pid")
                + "\nLogLevel DEBUG1\n";
        Files.writeString(jumpDir.resolve("sshd_config"), config);
        run("/usr/sbin/sshd -f " + jumpDir.resolve("sshd_config") + " -E " + jumpDir.resolve("log") + "; for i in $(seq 50); do [ -s "
                + jumpDir.resolve("pid") + " ] && break; sleep 0.1; done; [ -s " + jumpDir.resolve("pid") + " ]");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Path labSsh = Path.of(Lab.DIR, "ssh");
        Lab.shell("kill $(cat " + jumpDir.resolve("pid") + ") " + agentPid + "; for u in postgres root; do sed -i '/ plain-key$/d; / locked-key$/d' "
                + labSsh + "/authorized_keys/$u; done; rm -rf '" + home + "' '" + jumpDir + "'");
    }

    @BeforeEach
    void open() throws Exception {
        shell = new Shell(lab.params());
        Files.deleteIfExists(ssh.resolve("config"));
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private void environment(Map<String, String> variables) {
        shell.notebook.sessionState(OperatorEnvironment.class, () -> new OperatorEnvironment(variables, home));
    }

    private void config(String text) throws Exception {
        Files.writeString(ssh.resolve("config"), text);
    }

    private String whoThere(String server) {
        return ((String) shell.eval(server + ".sh('id -un', quiet: true).stdout")).strip();
    }

    @Test
    void anAliasTakesHostNameUserPortKeyAndHashedKnownHosts() throws Exception {
        assertFalse(Files.readString(ssh.resolve("hashed_known_hosts")).contains("127.0.0"), "every entry is hashed");
        config("Host olddb\n  HostName 127.0.0.2\n  Port " + Lab.SSH_PORT + "\n  User postgres\n  IdentityFile ~/.ssh/plain\n  IdentitiesOnly yes\n"
                + "  UserKnownHostsFile ~/.ssh/hashed_known_hosts\n");
        environment(Map.of());
        shell.eval("old = connect 'old', url: params.old_url, ssh: 'olddb'");
        assertTrue(shell.output().get(0).endsWith("via postgres@127.0.0.2:" + Lab.SSH_PORT), shell.outputText());
        assertEquals("postgres", whoThere("old"));
        shell.eval("r = connect 'r', url: params.old_url, ssh: 'root@olddb'");
        assertEquals("root", whoThere("r"), "a user written before the alias wins over User");
    }

    @Test
    void freezeRunReachesAnAliasTheWayConnectDoes() throws Exception {
        // freeze run: (and flipAlias hosts:) resolve hosts through the same ~/.ssh/config as connect ssh:
        Path marker = Path.of("/tmp/cutover-app9-" + ProcessHandle.current().pid());
        Files.deleteIfExists(marker);
        config("Host app9\n  HostName 127.0.0.2\n  Port " + Lab.SSH_PORT + "\n  User root\n  IdentityFile ~/.ssh/plain\n  IdentitiesOnly yes\n"
                + "  UserKnownHostsFile ~/.ssh/hashed_known_hosts\n");
        environment(Map.of());
        shell.eval("f = freeze run: ['app9': 'id -un > " + marker + "'], undo: ['app9': 'rm -f " + marker + "']");
        assertEquals("root", Files.readString(marker).strip(), shell.outputText());
        shell.eval("unfreeze f");
        assertFalse(Files.exists(marker), "undone on the same host: " + shell.outputText());
    }

    @Test
    void knownHostsStaysStrictHashedOrNot() throws Exception {
        // 127.0.0.4 is not in the hashed file; 127.0.0.5 is there with another key
        String other = run("ssh-keygen -q -t ed25519 -N '' -f " + home.resolve("other") + " && cat " + home.resolve("other.pub"));
        String otherKey = other.lines().filter(l -> l.startsWith("ssh-ed25519")).findFirst().orElseThrow().replaceAll("\\s+\\S+$", "");
        Path changed = ssh.resolve("changed_known_hosts");
        Files.writeString(changed, "[127.0.0.5]:" + Lab.SSH_PORT + " " + otherKey + "\n");
        run("ssh-keygen -q -H -f " + changed + " >/dev/null 2>&1");
        config("Host app1\n  HostName 127.0.0.4\n  UserKnownHostsFile ~/.ssh/hashed_known_hosts\nHost app2\n  HostName 127.0.0.5\n"
                + "  UserKnownHostsFile ~/.ssh/changed_known_hosts\nHost *\n  Port " + Lab.SSH_PORT + "\n  User root\n  IdentityFile ~/.ssh/plain\n");
        Files.writeString(ssh.resolve("hashed_known_hosts"), Files.readString(ssh.resolve("hashed_known_hosts")).lines()
                .filter(l -> !hashedFor(l, "[127.0.0.4]:" + Lab.SSH_PORT)).reduce("", (a, l) -> a + l + "\n"));
        environment(Map.of());
        String unknown = shell.error("connect 'a1', url: params.old_url, ssh: 'app1'");
        assertTrue(unknown.contains("host key of [127.0.0.4]:" + Lab.SSH_PORT + " is not known"), unknown);
        String changedLine = shell.error("connect 'a2', url: params.old_url, ssh: 'app2'");
        assertTrue(changedLine.contains("host key of [127.0.0.5]:" + Lab.SSH_PORT + " CHANGED"), changedLine);
    }

    /** Whether a hashed known_hosts line is the one for {@code name} (|1|salt|hmac-sha1(name)). */
    private static boolean hashedFor(String line, String name) {
        if (!line.startsWith("|1|")) return false;
        try {
            String[] parts = line.split("\\s")[0].split("\\|");
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(name.getBytes())).equals(parts[3]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void proxyJumpThroughTwoHops() throws Exception {
        config("Host bastion\n  HostName 127.0.0.2\n  Port " + JUMP_PORT + "\n  User root\n"
                + "Host inner\n  HostName 127.0.0.3\n  Port " + JUMP_PORT + "\n  User root\n  ProxyJump bastion\n"
                + "Host newdb\n  HostName 127.0.0.3\n  Port " + Lab.SSH_PORT + "\n  User postgres\n  ProxyJump inner\n"
                + "Host *\n  IdentityFile ~/.ssh/plain\n  UserKnownHostsFile ~/.ssh/hashed_known_hosts\n");
        environment(Map.of());
        shell.eval("neu = connect 'neu', url: params.old_url, ssh: 'newdb'");
        assertEquals("postgres", whoThere("neu"));
        String log = Files.readString(jumpDir.resolve("log"));
        assertTrue(log.contains("target 127.0.0.3 port " + JUMP_PORT), "bastion opened the tunnel to inner:\n" + log);
        assertTrue(log.contains("target 127.0.0.3 port " + Lab.SSH_PORT), "inner opened the tunnel to newdb:\n" + log);
    }

    @Test
    void keysHeldByTheAgentAreUsed() throws Exception {
        environment(Map.of("SSH_AUTH_SOCK", home.resolve("agent.sock").toString()));
        Files.move(ssh.resolve("plain"), home.resolve("plain.away"));
        try {
            shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, knownHosts: params.ssh_known_hosts");
            assertEquals("postgres", whoThere("old"));
            // a passphrase-protected IdentityFile the agent holds: the agent signs, nobody is asked
            config("Host olddb\n  HostName 127.0.0.2\n  Port " + Lab.SSH_PORT + "\n  User postgres\n  IdentityFile ~/.ssh/locked\n  IdentitiesOnly yes\n"
                    + "  UserKnownHostsFile ~/.ssh/hashed_known_hosts\n");
            shell.eval("o2 = connect 'o2', url: params.old_url, ssh: 'olddb'");
            assertEquals("postgres", whoThere("o2"));
        } finally {
            Files.move(home.resolve("plain.away"), ssh.resolve("plain"));
        }
    }

    @Test
    void anRsaKeyOnlyInTheAgentIsRefusedWithTheReason() throws Exception {
        Path labSsh = Path.of(Lab.DIR, "ssh");
        String sock = home.resolve("rsa-agent.sock").toString();
        String agent = run("cd " + home + "; ssh-keygen -q -t rsa -b 2048 -N '' -C rsa-key -f rsa; cat rsa.pub >> " + labSsh + "/authorized_keys/postgres;"
                + " ssh-agent -a " + sock + " | grep -o 'SSH_AGENT_PID=[0-9]*'; SSH_AUTH_SOCK=" + sock + " ssh-add rsa 2>/dev/null; rm rsa");
        try {
            environment(Map.of("SSH_AUTH_SOCK", sock));
            config("Host olddb\n  HostName 127.0.0.2\n  Port " + Lab.SSH_PORT + "\n  User postgres\n  UserKnownHostsFile ~/.ssh/hashed_known_hosts\n");
            String e = shell.error("connect 'old', url: params.old_url, ssh: 'olddb'");
            assertTrue(e.endsWith("; an RSA key in ssh-agent signs with SHA-1 here, which current sshd refuses: use an ed25519 key in the agent,"
                    + " or the RSA key file itself (key: or IdentityFile)"), e);
        } finally {
            Lab.shell("kill " + agent.replaceAll("(?s).*SSH_AGENT_PID=(\\d+).*", "$1") + "; sed -i '/ rsa-key$/d' " + labSsh + "/authorized_keys/postgres");
        }
    }

    @Test
    void aPassphraseKeyIsAskedForInTheShellAndExplainedInBatch() throws Exception {
        config("Host olddb\n  HostName 127.0.0.2\n  Port " + Lab.SSH_PORT + "\n  User postgres\n  IdentityFile ~/.ssh/locked\n"
                + "  UserKnownHostsFile ~/.ssh/hashed_known_hosts\n");
        environment(Map.of());
        String batch = shell.error("connect 'old', url: params.old_url, ssh: 'olddb'");
        assertTrue(batch.endsWith(ssh.resolve("locked") + " needs a passphrase: add it to ssh-agent (ssh-add " + ssh.resolve("locked")
                + ") or connect in the interactive shell, which asks for it"), batch);

        List<String> asked = new ArrayList<>();
        shell.notebook.setPrompter(new Prompter() {
            @Override
            public boolean confirm(String question) {
                return true;
            }

            @Override
            public String ask(String name, String description, boolean secret) {
                asked.add(name + " " + description + " secret=" + secret);
                return PASSPHRASE;
            }
        });
        shell.eval("old = connect 'old', url: params.old_url, ssh: 'olddb'");
        assertEquals("postgres", whoThere("old"));
        assertEquals(List.of("passphrase of the ssh key " + ssh.resolve("locked") + " secret=true"), asked);
        assertFalse(shell.outputText().contains(PASSPHRASE));
    }
}
