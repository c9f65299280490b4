package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.cutover.alias.HostsFile;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/**
 * flipAlias across a logical link, both directions: after the cut to the new server, and after the way
 * back to the old one, by PgBouncer (as the runbook does) and by the app hosts' hosts files; each time
 * the alias points where it should, and verify's alias checks (hosts files, PgBouncer's SHOW DATABASES) agree.
 */
@LabTest
class LogicalFlipAliasTest {
    private static final String CONNECT = "old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\n"
            + "neu = connect 'new15', url: params.new15_url, pgdata: params.new15_pgdata, bindir: params.new15_bindir";
    private static final String FREEZE = "f = freeze pgbouncer: params.pgbouncer_url, databases: [params.app_db], timeout: 10\n";
    private static final String HOSTS = "['root@127.0.0.4:" + Lab.SSH_PORT + "': params.app1_hosts_file, 'root@127.0.0.5:" + Lab.SSH_PORT
            + "': params.app2_hosts_file]";
    private static Lab lab;
    private static Shell shell;
    private static int neu;

    @BeforeAll
    static void replicate(Lab theLab) throws Exception {
        lab = theLab;
        LogicalLab.newEmpty15(lab);
        LogicalLab.oldWalLevel(lab, "logical");
        neu = Integer.parseInt(lab.param("new15_port"));
        shell = new Shell(lab.params());
        shell.eval(CONNECT);
        shell.eval("replicate from: old, to: neu, mode: 'logical', replicaIdentityFull: true");
    }

    @AfterAll
    static void close() throws Exception {
        if (shell == null) return;
        try {
            shell.eval("replicate from: old, to: neu, mode: 'logical', drop: true"); // the way back the last flip left running
        } finally {
            shell.close();
        }
    }

    private static String hostsFile(String app) throws Exception {
        return Files.readString(Path.of(lab.param(app + "_hosts_file")));
    }

    /** Where PgBouncer sends appdb: SHOW DATABASES, and the port of the server a query through it reaches. */
    private static String bouncer() throws Exception {
        String shown = null;
        // The admin console speaks the simple protocol only.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Lab.BOUNCER_PORT
                + "/pgbouncer?preferQueryMode=simple&assumeMinServerVersion=9.0", "postgres", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("show databases")) {
            while (rs.next()) if ("appdb".equals(rs.getString("name"))) shown = rs.getString("host") + ":" + rs.getString("port");
        }
        Object reached = lab.query(Lab.BOUNCER_PORT, "appdb", "select current_setting('port') as port").get(0).get("port");
        return shown + " reaches " + reached;
    }

    private static void flip(String to, String address) throws Exception {
        shell.clear();
        shell.eval("flipAlias params.app_db, to: " + to + ", pgbouncer: params.pgbouncer_url, config: params.pgbouncer_config\n"
                + "flipAlias params.alias, to: " + to + ", hosts: " + HOSTS + "\nunfreeze f");
        int port = to.equals("neu") ? neu : Lab.PORT_BASE;
        assertEquals("127.0.0.1:" + port + " reaches " + port, bouncer(), shell.outputText());
        for (String app : new String[] {"app1", "app2"}) {
            assertEquals(address, HostsFile.resolve(hostsFile(app), "db.internal"), app + ":\n" + hostsFile(app));
        }
        // verify's alias check agrees: the alias resolves to the server on every app host.
        shell.clear();
        shell.eval("verify " + to + ", against: false, alias: params.alias, hosts: " + HOSTS);
        String out = shell.outputText();
        assertTrue(out.contains("ok    alias on root@127.0.0.4:" + Lab.SSH_PORT + ": db.internal → " + address)
                && out.contains("ok    alias on root@127.0.0.5:" + Lab.SSH_PORT + ": db.internal → " + address), out);
        shell.clear();
        shell.eval("verify " + to + ", against: false, alias: params.app_db, pgbouncer: params.pgbouncer_url");
        out = shell.outputText();
        assertTrue(out.contains("ok    alias on pgbouncer 127.0.0.1:" + Lab.BOUNCER_PORT + ": appdb → 127.0.0.1:" + port), out);
        // ... and the other server is not where the aliases point.
        String other = to.equals("neu") ? "old" : "neu";
        int otherPort = to.equals("neu") ? Lab.PORT_BASE : neu;
        String error = shell.error("verify " + other + ", against: false, alias: params.alias, hosts: " + HOSTS);
        assertTrue(error.contains("alias on root@127.0.0.4:" + Lab.SSH_PORT + ": db.internal → " + address + ", expected "), error);
        error = shell.error("verify " + other + ", against: false, alias: params.app_db, pgbouncer: params.pgbouncer_url");
        assertTrue(error.contains("alias on pgbouncer 127.0.0.1:" + Lab.BOUNCER_PORT + ": appdb → 127.0.0.1:" + port + ", expected 127.0.0.1:" + otherPort), error);
    }

    @Test
    void theAliasFollowsTheCutThenTheWayBack() throws Exception {
        assertEquals("127.0.0.1:" + Lab.PORT_BASE + " reaches " + Lab.PORT_BASE, bouncer());
        assertEquals("127.0.0.2", HostsFile.resolve(hostsFile("app1"), "db.internal"));

        // The cut: neu is reached at its connection's host (it was connected without ssh:).
        shell.eval(FREEZE + "promote neu, from: old");
        flip("neu", "127.0.0.1");

        // The way back: old is reached at its ssh host.
        shell.eval(FREEZE + "promote old, from: neu");
        flip("old", "127.0.0.2");
    }
}
