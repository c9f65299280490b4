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
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * The shell's SSH connections: one per target, reused while the shell runs, re-opened when one
 * dropped. Host keys are always verified.
 */
public final class SshConnections implements AutoCloseable {
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");
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
        SSHClient client = new SSHClient();
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout((int) options.connectTimeout().toMillis());
        try {
            client.connect(target.host(), target.port());
        } catch (TransportException e) {
            closeQuietly(client);
            String refusal = verifier.refusal();
            throw new SshException(where + ": " + (refusal != null ? refusal : e.getMessage()), e);
        } catch (UnknownHostException e) {
            closeQuietly(client);
            throw new SshException(where + ": unknown host '" + target.host() + "'", e);
        } catch (ConnectException | NoRouteToHostException e) {
            closeQuietly(client);
            throw new SshException(where + ": connection refused (is sshd running on " + target.host() + " port " + target.port() + "?)", e);
        } catch (SocketTimeoutException e) {
            closeQuietly(client);
            throw new SshException(where + ": no answer within " + options.connectTimeout().toSeconds() + "s", e);
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshException(where + ": " + e.getMessage(), e);
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
            client.getConnection().getKeepAlive().setKeepAliveInterval(15);
            return client;
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw new SshException(where + ": key authentication failed (tried " + String.join(", ", tried)
                    + "): authorize the public key for " + target.user() + " on " + target.host(), e);
        } catch (SshException e) {
            closeQuietly(client);
            throw e;
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshException(where + ": " + e.getMessage(), e);
        }
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
