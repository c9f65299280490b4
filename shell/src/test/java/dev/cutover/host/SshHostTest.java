package dev.cutover.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.cutover.spi.Cancellation;
import dev.cutover.lab.Lab;
import dev.cutover.lab.LabTest;

@LabTest
class SshHostTest {
    private final Lab lab;
    private final SshConnections connections = new SshConnections();
    private final SshHost postgres;
    private final SshHost appRoot;

    SshHostTest(Lab lab) {
        this.lab = lab;
        postgres = new SshHost(SshTarget.parse(lab.param("old_ssh")), SshOptions.defaults(), connections);
        appRoot = new SshHost(SshTarget.parse("root@127.0.0.4:" + Lab.SSH_PORT), SshOptions.defaults(), connections);
    }

    @AfterEach
    void close() {
        connections.close();
    }

    /** A Ctrl-C the test can press. */
    static final class Switch implements Cancellation {
        private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
        private volatile boolean cancelled;

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public AutoCloseable onCancel(Runnable hook) {
            hooks.add(hook);
            return () -> hooks.remove(hook);
        }

        void press() {
            cancelled = true;
            hooks.forEach(Runnable::run);
        }
    }

    private ExecResult run(SshHost host, List<String> argv, Duration timeout) throws Exception {
        return host.exec(ExecRequest.of(argv, timeout, null, null, null));
    }

    @Test
    void exitCodeStdoutAndStderrStreamLineByLine() throws Exception {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        ExecResult r = postgres.exec(ExecRequest.of(List.of("sh", "-c", "echo one; echo two; echo oops >&2; exit 7"),
                Duration.ofSeconds(30), out::add, err::add, null));
        assertEquals(7, r.exitCode());
        assertEquals("one\ntwo\n", r.stdout());
        assertEquals("oops\n", r.stderr(), "the process-id announcement never reaches stderr");
        assertEquals(List.of("one", "two"), out);
        assertEquals(List.of("oops"), err);
        assertEquals("postgres", run(postgres, List.of("id", "-un"), Duration.ofSeconds(10)).stdout().strip());
    }

    @Test
    void twoMegabytesOfOutputArriveWhole() throws Exception {
        ExecResult r = run(postgres, List.of("sh", "-c", "head -c 2000000 /dev/zero | tr '\\0' 'x'; echo; echo end"), Duration.ofSeconds(60));
        assertEquals(0, r.exitCode());
        assertEquals(2_000_000 + 1 + 4, r.stdout().length());
        assertTrue(r.stdout().endsWith("x\nend\n"));
    }

    @Test
    void anArgumentWithSpacesQuotesAndSemicolonsStaysOneArgument() throws Exception {
        String nasty = "a b; \"c\" 'd' $(touch /tmp/cutover-pwned) `id` && echo no | cat > /tmp/cutover-pwned2";
        ExecResult r = run(postgres, List.of("printf", "%s|", nasty, "/path with spaces/x"), Duration.ofSeconds(10));
        assertEquals(nasty + "|/path with spaces/x|", r.stdout());
        assertFalse(Files.exists(Path.of("/tmp/cutover-pwned")) || Files.exists(Path.of("/tmp/cutover-pwned2")));
    }

    @Test
    void environmentAndStdinTravelTogetherOverSshAndThroughSudo() throws Exception {
        java.util.Map<String, String> env = java.util.Map.of("PGPASSWORD", " it's a $secret; ", "PGSSLMODE", "verify-full");
        List<String> argv = List.of("sh", "-c", "printf '[%s][%s][%s]' \"$PGPASSWORD\" \"$PGSSLMODE\" \"$(id -un)\"; cat; ps -eo args | grep -c '[s]ecret'");
        for (Host host : List.of(postgres, new SudoHost(appRoot, "postgres"))) {
            ExecResult r = host.exec(ExecRequest.of(argv, Duration.ofSeconds(30), null, null, null).withEnv(env)
                    .withStdin(new java.io.ByteArrayInputStream("the command's own input\n".getBytes(StandardCharsets.UTF_8))));
            assertEquals("[ it's a $secret; ][verify-full][postgres]the command's own input\n0\n", r.stdout(), host.name() + ": " + r.stderr());
        }
    }

    @Test
    void aTimeoutKillsTheRemoteProcessTree() throws Exception {
        long t0 = System.nanoTime();
        ExecResult r = run(postgres, List.of("sh", "-c", "sleep 31.7 & sleep 31.7; echo never"), Duration.ofSeconds(1));
        assertTrue(r.timedOut());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
        assertFalse(r.stdout().contains("never"));
        Thread.sleep(500);
        assertEquals("", Lab.shell("pgrep -f 'sleep 3[1].7' || true").strip(), "no remote process left");
    }

    @Test
    void cancelKillsTheRemoteProcessAndReturnsPromptly() throws Exception {
        Switch ctrlC = new Switch();
        Thread presser = new Thread(() -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException ignored) {
            }
            ctrlC.press();
        });
        presser.start();
        long t0 = System.nanoTime();
        assertThrows(InterruptedException.class, () -> postgres.exec(ExecRequest.of(List.of("sh", "-c", "sleep 41.3; echo never"),
                null, null, null, ctrlC)));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 4000);
        Thread.sleep(500);
        assertEquals("", Lab.shell("pgrep -f 'sleep 4[1].3' || true").strip(), "Ctrl-C must not leave the command running on the host");
    }

    @Test
    void connectionIsReusedAndReopenedAfterADrop() throws Exception {
        assertEquals(0, run(postgres, List.of("true"), Duration.ofSeconds(10)).exitCode());
        connections.drop(postgres.target(), SshOptions.defaults());
        assertEquals("back\n", run(postgres, List.of("echo", "back"), Duration.ofSeconds(10)).stdout());
    }

    @Test
    void atomicWriteReplacesContentKeepingOwnerAndMode() throws Exception {
        String path = Lab.DIR + "/app1/atomic-" + System.nanoTime() + ".txt";
        appRoot.writeFileAtomic(path, "first\n".getBytes(StandardCharsets.UTF_8), new FileAttributes("postgres:postgres", "640"));
        assertEquals("postgres:postgres 640", Lab.shell("stat -c '%U:%G %a' " + path).strip());
        appRoot.writeFileAtomic(path, "second\n".getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
        assertEquals("second\n", Files.readString(Path.of(path)));
        assertEquals("postgres:postgres 640", Lab.shell("stat -c '%U:%G %a' " + path).strip(), "owner and mode kept");
        assertEquals("second\n", new String(appRoot.readFile(path), StandardCharsets.UTF_8));
        assertTrue(appRoot.list(Lab.DIR + "/app1").contains(Path.of(path).getFileName().toString()));
        assertTrue(appRoot.exists(path));
    }

    @Test
    void aConnectionDroppedMidWriteLeavesTheOldContent() throws Exception {
        String path = Lab.DIR + "/app1/drop-" + System.nanoTime() + ".txt";
        appRoot.writeFileAtomic(path, "old content\n".getBytes(StandardCharsets.UTF_8), FileAttributes.KEEP);
        byte[] next = "new content that never fully arrives\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        // Sends half the bytes, then the network "fails": the connection is torn down under the write.
        InputStream halfThenStall = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent >= next.length / 2) {
                    connections.drop(appRoot.target(), SshOptions.defaults());
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        throw new IOException("stopped");
                    }
                }
                return next[sent++] & 0xff;
            }
        };
        assertThrows(IOException.class, () -> appRoot.writeFileAtomic(path, halfThenStall, next.length, SshHost.sha256(next), FileAttributes.KEEP));
        assertEquals("old content\n", Files.readString(Path.of(path)));
        Thread.sleep(1000);
        assertEquals("", Lab.shell("ls -A " + Lab.DIR + "/app1 | grep '^.cutover-write' || true").strip(), "temp file cleaned up");
    }
}
