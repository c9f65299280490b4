package dev.cutover.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A second, private lab (own directory and ports): up brings everything up, down leaves nothing behind. */
@org.junit.jupiter.api.Tag("lab")
class LabLifecycleTest {
    static final String DIR = "/var/lib/cutover-lab-lifecycle";

    private static Lab.Result lab(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Lab.repoRoot().resolve("scripts/lab").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Lab.env(pb.environment(), DIR, 5613, 6632, 2422);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(600, TimeUnit.SECONDS);
        return new Lab.Result(p.exitValue(), out);
    }

    @Test
    void installIsIdempotentUpStartsEverythingDownLeavesNoProcess() throws Exception {
        long t0 = System.nanoTime();
        Lab.Result install = lab("install");
        assertEquals(0, install.exit(), install.out());
        assertTrue((System.nanoTime() - t0) / 1_000_000_000 < 30, "install on a ready machine takes seconds");
        lab("down");
        Lab.shell("rm -rf " + DIR);
        Lab.Result up = lab("up", "--scale", "1");
        assertEquals(0, up.exit(), up.out());
        String status = lab("status").out();
        for (String s : List.of("old13: running", "pgbouncer: running", "sshd: running")) assertTrue(status.contains(s), status);
        assertTrue(Files.readString(Path.of(DIR, "lab.params")).contains("old_url=postgresql://postgres@127.0.0.1:5613/postgres"));
        assertTrue(Files.readString(Path.of(DIR, "app1/hosts")).contains("127.0.0.2\tdb.internal"));
        String load = Lab.shell("/usr/lib/postgresql/15/bin/pgbench -n -M simple -c 2 -T 2 -h 127.0.0.1 -p 6632 -U postgres appdb 2>&1");
        assertTrue(load.contains("number of failed transactions: 0"), load);
        assertTrue(Lab.shell("ssh -o BatchMode=yes -p 2422 postgres@127.0.0.3 id -un").contains("postgres"));

        assertEquals(0, lab("down").exit());
        Thread.sleep(300);
        assertEquals("", Lab.shell("pgrep -af '" + DIR.replace("lab-", "lab[-]") + "' || true").strip(), "down leaves no process behind");
        Lab.shell("rm -rf " + DIR);
    }
}
