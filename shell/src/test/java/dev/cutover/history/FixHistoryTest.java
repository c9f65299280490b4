package dev.cutover.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;
import dev.cutover.lab.Shell;

/** A promoted server that lost its timeline history cannot feed standbys; fix-history makes it able to again. */
@LabTest
class FixHistoryTest {
    private final Lab lab;
    private Shell shell;

    FixHistoryTest(Lab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void promotedReplica() throws Exception {
        lab.reset();
        shell = new Shell(lab.params());
        shell.eval("old = connect 'old', url: params.old_url, ssh: params.old_ssh, pgdata: params.old_pgdata\n"
                + "neu = connect 'new', url: params.new_url, ssh: params.new_ssh, pgdata: params.new_pgdata, bindir: params.new_bindir\n"
                + "sb = connect 'standby', url: params.standby_url, ssh: params.standby_ssh, pgdata: params.standby_pgdata, bindir: params.new_bindir\n"
                + "replicate from: old, to: neu, slot: 'cutover'\n"
                + "promoted = promote neu, from: old, stopOld: false\n"
                + "neu.sql('select pg_switch_wal()'); neu.sql('checkpoint')");
        assertEquals(2, ((Number) shell.eval("neu.timeline")).intValue());
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private Path wal(String pgdataParam) {
        return Path.of(lab.param(pgdataParam), "pg_wal");
    }

    @Test
    void aMissingHistoryFileIsRecreatedExactlyAndAStandbyThenStreams() throws Exception {
        Path file = wal("new_pgdata").resolve("00000002.history");
        String original = Files.readString(file);
        Files.delete(file);

        String error = shell.error("replicate from: neu, to: sb, slot: 's1'");
        assertTrue(error.contains("cannot send its timeline history") && error.contains("Run fix-history new"), error);

        shell.clear();
        shell.eval("fix-history neu");
        String recreated = Files.readString(file);
        String[] was = original.strip().split("\t");
        String[] now = recreated.strip().split("\t");
        assertEquals(was[0], now[0], "parent timeline");
        assertEquals(was[1], now[1], "switch point: exact, from the record that opened timeline 2");
        assertEquals(was[1], shell.eval("promoted.switchLsn()"), "promote reported the switch point PostgreSQL wrote");
        assertTrue(now[2].startsWith("recreated by cutover"), recreated);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("postgres", Files.getOwner(file).getName());
        assertTrue(shell.outputText().contains("verified: the server sends 00000002.history over the replication protocol"), shell.outputText());

        shell.eval("replicate from: neu, to: sb, slot: 's1'");
        assertEquals("streaming", shell.eval("lag(neu, sb).state"));

        // A valid file is never overwritten; a broken one only with force.
        shell.clear();
        shell.eval("fix-history neu");
        assertTrue(shell.outputText().contains("present and valid"), shell.outputText());
        Files.writeString(file, "garbage\n");
        String refused = shell.error("fix-history neu");
        assertTrue(refused.contains("malformed") && refused.contains("force: true"), refused);
        assertEquals("garbage\n", Files.readString(file));
        shell.eval("fix-history neu, force: true");
        assertEquals(was[1], Files.readString(file).split("\t")[1]);
    }

    @Test
    void timelineThreeWithBothHistoryFilesGone() throws Exception {
        // standby of timeline 2, promoted: timeline 3 with its own 00000002 and 00000003 history files.
        shell.eval("replicate from: neu, to: sb, slot: 's1'\n"
                + "promote sb, from: neu, stopOld: false\n"
                + "sb.sql('select pg_switch_wal()'); sb.sql('checkpoint')");
        assertEquals(3, ((Number) shell.eval("sb.timeline")).intValue());
        Path dir = wal("standby_pgdata");
        String two = Files.readString(dir.resolve("00000002.history"));
        String three = Files.readString(dir.resolve("00000003.history"));
        Files.delete(dir.resolve("00000002.history"));
        Files.delete(dir.resolve("00000003.history"));

        shell.eval("fourth = connect 'fourth', url: params.new15_url, ssh: params.new_ssh, pgdata: params.new15_pgdata, bindir: params.new_bindir");
        assertTrue(shell.error("replicate from: sb, to: fourth, slot: 's2'").contains("fix-history standby"));

        shell.clear();
        shell.eval("fixHistory sb");
        String rebuilt = Files.readString(dir.resolve("00000003.history"));
        String[] lines = rebuilt.strip().split("\n");
        assertEquals(2, lines.length, rebuilt);
        assertTrue(lines[0].startsWith("1\t") && lines[1].startsWith("2\t"), rebuilt);
        // Timeline 3's switch is exact (its first segment is there); timeline 2's first segment went with the basebackup,
        // so its switch point may only be earlier-or-equal... never later than the real one.
        // (PostgreSQL leaves a blank line between the parent's lines and its own)
        String[] real = three.lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        assertEquals(real[1].split("\t")[1], lines[1].split("\t")[1], "exact switch to timeline 3");
        long real2 = lsn(two.strip().split("\t")[1]);
        long ours2 = lsn(lines[0].split("\t")[1]);
        if (ours2 != real2) {
            assertTrue(shell.outputText().contains("so the exact switch point is unknown"), shell.outputText());
        }
        assertTrue(Files.exists(dir.resolve("00000002.history")));

        shell.eval("replicate from: sb, to: fourth, slot: 's2'");
        assertEquals("streaming", shell.eval("lag(sb, fourth).state"));
        assertFalse(shell.outputText().contains("NOT verified"));
    }

    private static long lsn(String s) {
        String[] p = s.split("/");
        return (Long.parseLong(p[0], 16) << 32) | Long.parseLong(p[1], 16);
    }
}
