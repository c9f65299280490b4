package dev.cutover.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.OldVersions;
import dev.cutover.lab.Shell;

/** fix-history in the pg_xlog era: a promoted 9.6 standby that lost 00000002.history feeds a new standby again. */
@LabTest
class FixHistoryOnNineSixTest {
    private final Lab lab;
    private Shell shell;

    FixHistoryOnNineSixTest(Lab lab) {
        this.lab = lab;
    }

    @AfterEach
    void close() {
        if (shell != null) shell.close();
    }

    @Test
    void aMissingHistoryFileInPgXlogIsRecreatedAndAStandbyStreams() throws Exception {
        String bin = OldVersions.pg96WithNewClients();
        Path primary = Path.of(Lab.DIR, "p96");
        int port = Lab.PORT_BASE + 7;
        String out = Lab.shell("runuser -u postgres -- " + bin + "/initdb -D " + primary + " -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 && "
                + "printf 'wal_level = replica\\nmax_wal_senders = 5\\nmax_replication_slots = 5\\nhot_standby = on\\nlisten_addresses = '\"'\"'127.0.0.1'\"'\"'\\nport = " + port + "\\n' >> "
                + primary + "/postgresql.conf && echo 'host replication all 127.0.0.0/8 trust' >> " + primary + "/pg_hba.conf && "
                + "runuser -u postgres -- " + bin + "/pg_ctl -D " + primary + " -l " + primary + "/server.log -w start >/dev/null && echo started");
        assertTrue(out.contains("started"), out);

        shell = new Shell(lab.params());
        String url = "postgresql://postgres@127.0.0.1:";
        shell.eval("p = connect 'p96', url: '" + url + port + "/postgres', pgdata: '" + primary + "', bindir: '" + bin + "'\n"
                + "a = connect 'a96', url: '" + url + (port + 1) + "/postgres', pgdata: '" + Lab.DIR + "/a96', bindir: '" + bin + "'\n"
                + "b = connect 'b96', url: '" + url + (port + 2) + "/postgres', pgdata: '" + Lab.DIR + "/b96', bindir: '" + bin + "'\n"
                + "replicate from: p, to: a, slot: 'a96'\n"
                + "promote a, from: p, stopOld: false\n"
                + "a.sql('select pg_switch_xlog()'); a.sql('checkpoint')");
        assertEquals("9.6", String.valueOf(shell.eval("a.version")));
        assertEquals(2, ((Number) shell.eval("a.timeline")).intValue());
        Path history = Path.of(Lab.DIR, "a96", "pg_xlog", "00000002.history");
        String original = Files.readString(history);
        Files.delete(history);

        String error = shell.error("replicate from: a, to: b, slot: 'b96'");
        assertTrue(error.contains("fix-history a96"), error);

        shell.clear();
        shell.eval("fix-history a");
        String recreated = Files.readString(history);
        assertTrue(recreated.startsWith("1\t") && recreated.contains("recreated by cutover"), recreated);
        // No pg_xlogdump for 9.6 here: the switch point is approximate, and says so.
        String[] was = original.strip().split("\t");
        if (!was[1].equals(recreated.split("\t")[1])) assertTrue(shell.outputText().contains("so the exact switch point is unknown"), shell.outputText());
        assertTrue(shell.outputText().contains("verified: the server sends 00000002.history"), shell.outputText());

        shell.eval("replicate from: a, to: b, slot: 'b96'");
        assertEquals("streaming", shell.eval("lag(a, b).state"));
    }
}
