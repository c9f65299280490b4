package dev.cutover.host;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.cutover.runbook.Durations;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * The shell's SSH connections: one per target, reused while the shell runs, re-opened when one
 * dropped. Host keys are always verified. Every wait is bounded by {@link SshOptions#timeout()}: a
 * host that accepts TCP and never answers fails the connect naming host:port instead of hanging it.
 */
public final class SshConnections implements AutoCloseable {
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    /** Keep-alives that expect an answer (SSHJ's default only sends, so it never notices a dead host). */
    private static final Config CONFIG = keepAliveConfig();
    /** Unanswered keep-alives before the connection is given up. */
    private static final int KEEP_ALIVE_MISSES = 3;
    private final Map<String, SSHClient> clients = new ConcurrentHashMap<>();

    public SSHClient client(SshTarget target, SshOptions options) throws SshException {
        String key = options.key(target);
        synchronized (this) {
            SSHClient c = clients.get(key);
            if (c != null && c.isConnected() && c.isAuthenticated()) return c;
            if (c != null) closeQuietly(c);
            c = open(target, options);
            clients.put(key, c);
            return c;
        }
    }

    /** Drops a target's connection (tests use it to simulate a network failure). */
    public void drop(SshTarget target, SshOptions options) {
        SSHClient c = clients.remove(options.key(target));
        if (c != null) closeQuietly(c);
    }

    private static SSHClient open(SshTarget target, SshOptions options) throws SshException {
        String where = "ssh " + target;
        KnownHostsVerifier verifier;
        try {
            Path kh = options.knownHosts();
            if (!Files.exists(kh)) {
                if (!options.acceptNewHostKey()) {
                    throw new SshException(where + ": no known_hosts file at " + kh + " to verify the host key: add the host's key there "
                            + "(ssh-keyscan -p " + target.port() + " " + target.host() + " >> " + kh + ") or pass acceptNewHostKey: true");
                }
                Files.createDirectories(kh.toAbsolutePath().getParent());
                Files.createFile(kh);
            }
            verifier = new KnownHostsVerifier(kh.toFile(), options.acceptNewHostKey());
        } catch (SshException e) {
            throw e;
        } catch (IOException e) {
            throw new SshException(where + ": cannot read known_hosts: " + e.getMessage(), e);
        }
        SSHClient client = new SSHClient(CONFIG);
        client.addHostKeyVerifier(verifier);
        int timeoutMs = (int) Math.max(1, options.timeout().toMillis());
        String noAnswer = where + ": no SSH answer within " + Durations.format(options.timeout()) + " (connect/handshake timed out)";
        client.setConnectTimeout(timeoutMs);
        // The version exchange reads the socket on this thread: without a read timeout a silent peer blocks it forever.
        client.setTimeout(timeoutMs);
        // Key exchange, service and authentication requests, channel opens.
        client.getTransport().setTimeoutMs(timeoutMs);
        client.getConnection().setTimeoutMs(timeoutMs);
        try {
            client.connect(target.host(), target.port());
        } catch (TransportException e) {
            closeQuietly(client);
            String refusal = verifier.refusal();
            if (refusal == null && timedOut(e)) throw new SshException(noAnswer, e);
            throw new SshException(where + ": " + (refusal != null ? refusal : e.getMessage()), e);
        } catch (UnknownHostException e) {
            closeQuietly(client);
            throw new SshException(where + ": unknown host '" + target.host() + "'", e);
        } catch (ConnectException | NoRouteToHostException e) {
            closeQuietly(client);
            throw new SshException(where + ": connection refused (is sshd running on " + target.host() + " port " + target.port() + "?)", e);
        } catch (SocketTimeoutException e) {
            closeQuietly(client);
            throw new SshException(noAnswer, e);
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshException(timedOut(e) ? noAnswer : where + ": " + e.getMessage(), e);
        }
        List<String> tried = new ArrayList<>();
        try {
            List<KeyProvider> keys = new ArrayList<>();
            List<Path> files = options.identity() != null ? List.of(options.identity())
                    : DEFAULT_KEYS.stream().map(k -> SshOptions.home().resolve(k)).filter(Files::isReadable).toList();
            for (Path f : files) {
                keys.add(client.loadKeys(f.toString()));
                tried.add(f.toString());
            }
            if (keys.isEmpty()) {
                throw new SshException(where + ": no private key found (looked for " + String.join(", ", DEFAULT_KEYS)
                        + " in " + SshOptions.home() + "); pass key: 'path'");
            }
            client.authPublickey(target.user(), keys);
            keepAlive(client, options.timeout());
            return client;
        } catch (UserAuthException e) {
            closeQuietly(client);
            if (timedOut(e)) throw new SshException(noAuthAnswer(where, options), e);
            throw new SshException(where + ": key authentication failed (tried " + String.join(", ", tried)
                    + "): authorize the public key for " + target.user() + " on " + target.host(), e);
        } catch (SshException e) {
            closeQuietly(client);
            throw e;
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshException(timedOut(e) ? noAuthAnswer(where, options) : where + ": " + e.getMessage(), e);
        }
    }

    private static String noAuthAnswer(String where, SshOptions options) {
        return where + ": no answer to authentication within " + Durations.format(options.timeout());
    }

    /**
     * A connected host that stops answering (powered off, network cut) is given up after about the
     * timeout: a keep-alive every quarter of it, {@value #KEEP_ALIVE_MISSES} unanswered ones end the connection.
     */
    private static void keepAlive(SSHClient client, java.time.Duration timeout) {
        var keepAlive = client.getConnection().getKeepAlive();
        if (keepAlive instanceof KeepAliveRunner runner) runner.setMaxAliveCount(KEEP_ALIVE_MISSES);
        keepAlive.setKeepAliveInterval((int) Math.max(1, timeout.toSeconds() / (KEEP_ALIVE_MISSES + 1)));
    }

    private static Config keepAliveConfig() {
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        return config;
    }

    /** Whether an SSHJ failure was a wait that ran out (socket read, or a request's promise). */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) return true;
            if (String.valueOf(t.getMessage()).startsWith("Timeout expired")) return true;
        }
        return false;
    }

    private static void closeQuietly(SSHClient c) {
        try {
            c.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        clients.values().forEach(SshConnections::closeQuietly);
        clients.clear();
    }
}
