package dev.cutover.alias;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/** The hosts-file flip over SSH on the lab's two app hosts. */
@LabTest
class FlipAliasTest {
    private final Lab lab;
    private Shell shell;

    FlipAliasTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void open() throws Exception {
        lab.reset();
        shell = new Shell(lab.params());
        shell.eval("neu = connect 'new', url: params.new_url, ssh: params.new_ssh, pgdata: params.new_pgdata");
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private String hosts(String app) throws Exception {
        return Files.readString(Path.of(lab.param(app + "_hosts_file")));
    }

    @Test
    void oneUnreachableHostRollsEveryHostBack() throws Exception {
        String app1 = hosts("app1");
        String app2 = hosts("app2");
        String error = shell.error("flipAlias 'db.internal', to: neu, hosts: ['root@127.0.0.4:" + Lab.SSH_PORT + "': params.app1_hosts_file, "
                + "'root@127.0.0.5:" + Lab.SSH_PORT + "': params.app2_hosts_file, 'root@127.0.0.6:2399': '/etc/hosts']");
        assertTrue(error.contains("failed on root@127.0.0.6:2399 (") && error.contains("every host was rolled back"), error);
        assertEquals(app1, hosts("app1"), "app1 byte-identical after the rollback");
        assertEquals(app2, hosts("app2"));
    }

    @Test
    void bothHostsFlipTheAliasAndNothingElseThenBack() throws Exception {
        java.util.Map<String, String> before = java.util.Map.of("app1", hosts("app1"), "app2", hosts("app2"));
        shell.eval("r = flipAlias 'db.internal', to: neu, hosts: ['root@127.0.0.4:" + Lab.SSH_PORT + "': params.app1_hosts_file, "
                + "'root@127.0.0.5:" + Lab.SSH_PORT + "': params.app2_hosts_file]");
        for (String app : new String[] {"app1", "app2"}) {
            String after = hosts(app);
            assertTrue(after.contains("127.0.0.3\tdb.internal"), after);
            assertEquals(before.get(app).replace("127.0.0.2\tdb.internal", "127.0.0.3\tdb.internal"), after, "other lines byte-identical");
        }
        assertTrue(shell.outputText().contains("root@127.0.0.4:" + Lab.SSH_PORT + ": db.internal 127.0.0.2 → 127.0.0.3 (resolves)"), shell.outputText());
        shell.eval("flipAlias 'db.internal', back: true");
        assertEquals(before.get("app1"), hosts("app1"));
        assertEquals(before.get("app2"), hosts("app2"));
    }
}
