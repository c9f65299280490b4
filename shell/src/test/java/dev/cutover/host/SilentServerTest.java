package dev.cutover.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.lab.Shell;

/**
 * A peer that accepts TCP and never says a word (a hung sshd, a black-holing proxy, a frozen
 * PostgreSQL) must cost a bounded wait and a message naming where, never a hung shell.
 * No lab needed: the silent peer is a plain ServerSocket on loopback.
 */
class SilentServerTest {
    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private Shell shell;

    @BeforeEach
    void listen() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) accepted.add(silent.accept()); // accept, then never write
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
        shell = new Shell(Map.of());
        shell.eval("1"); // Groovy's start-up is not what these tests time
    }

    @AfterEach
    void close() throws IOException {
        shell.close();
        silent.close();
        for (Socket s : accepted) s.close();
    }

    @Test
    void silentSshServerFailsWithinTheTimeoutNamingHostAndPort(@TempDir Path dir) throws Exception {
        Path knownHosts = Files.createFile(dir.resolve("known_hosts"));
        int port = silent.getLocalPort();
        long start = System.nanoTime();
        String e = assertTimeoutPreemptively(Duration.ofSeconds(25), () -> shell.error(
                "connect 'x', url: 'postgresql://postgres@127.0.0.1:1/postgres', ssh: 'postgres@127.0.0.1:" + port + "', "
                        + "knownHosts: '" + knownHosts + "', sshTimeout: 2"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("<input>:1: connect x: ssh postgres@127.0.0.1:" + port + ": no SSH answer within 2s (connect/handshake timed out)", e);
        assertTrue(seconds < 10, "took " + seconds + "s with sshTimeout: 2");
    }

    @Test
    void silentPostgresFailsWithinTheTimeoutNamingHostAndPort() {
        int port = silent.getLocalPort();
        long start = System.nanoTime();
        String e = assertTimeoutPreemptively(Duration.ofSeconds(25), () -> shell.error(
                "connect 'x', url: 'postgresql://postgres@127.0.0.1:" + port + "/postgres?connect_timeout=2'"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("<input>:1: x: connect to 127.0.0.1:" + port + " timed out after 2s (nothing answered as PostgreSQL there)", e);
        assertTrue(seconds < 4, "took " + seconds + "s with connect_timeout=2");
    }

    @Test
    void sshTimeoutComesFromTheEnvironmentOrDefaultsToFifteenSeconds() {
        assertEquals(Duration.ofSeconds(15), SshOptions.timeoutFrom(null));
        assertEquals(Duration.ofSeconds(3), SshOptions.timeoutFrom("3"));
        assertEquals(Duration.ofMillis(1500), SshOptions.timeoutFrom("1500ms"));
    }
}
