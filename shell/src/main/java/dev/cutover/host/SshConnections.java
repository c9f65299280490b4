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
import dev.cutover.spi.Durations;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import com.jcraft.jsch.agentproxy.Identity;

/**
 * The shell's SSH connections: one per route (jump hosts included), reused while the shell runs,
 * re-opened when one dropped. Host keys are always verified, on every hop. Every wait is bounded by {@link SshOptions#timeout()}: a
 * host that accepts TCP and never answers fails the connect naming host:port instead of hanging it.
 */
public final class SshConnections implements AutoCloseable {
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    /** Keep-alives that expect an answer (SSHJ's default only sends, so it never notices a dead host). */
    private static final Config CONFIG = keepAliveConfig();
    /** Unanswered keep-alives before the connection is given up. */
    private static final int KEEP_ALIVE_MISSES = 3;
    private final Map<String, Chain> clients = new ConcurrentHashMap<>();
    /** Key files read once per session: a passphrase is asked once, not at every reconnect. */
    private final Map<Path, KeyProvider> keyFiles = new ConcurrentHashMap<>();

    /** The logins of one route, jump hosts first; the last one is the destination's. */
    private record Chain(List<SSHClient> logins) {
        SSHClient last() {
            return logins.get(logins.size() - 1);
        }

        boolean alive() {
            return logins.stream().allMatch(c -> c.isConnected() && c.isAuthenticated());
        }

        void close() {
            for (int i = logins.size() - 1; i >= 0; i--) closeQuietly(logins.get(i));
        }
    }

    public SSHClient client(SshTarget target, SshOptions options) throws SshException {
        return client(SshRoute.direct(target, options), options);
    }

    public SSHClient client(SshRoute route, SshOptions options) throws SshException {
        String key = options.key(route);
        synchronized (this) {
            Chain c = clients.get(key);
            if (c != null && c.alive()) return c.last();
            if (c != null) c.close();
            c = open(route, options);
            clients.put(key, c);
            return c.last();
        }
    }

    /** Drops a target's connection (tests use it to simulate a network failure). */
    public void drop(SshTarget target, SshOptions options) {
        drop(SshRoute.direct(target, options), options);
    }

    public void drop(SshRoute route, SshOptions options) {
        Chain c = clients.remove(options.key(route));
        if (c != null) c.close();
    }

    /** Each jump host's connection carries the next login (SSHJ's connectVia), as ssh -J does. */
    private Chain open(SshRoute route, SshOptions options) throws SshException {
        List<SSHClient> logins = new ArrayList<>();
        try {
            SSHClient via = null;
            for (SshHop jump : route.jumps()) {
                via = login(jump, via, options, "ssh " + jump.target() + " (jump host for " + route.destination().target() + ")");
                logins.add(via);
            }
            logins.add(login(route.destination(), via, options, "ssh " + route));
            return new Chain(List.copyOf(logins));
        } catch (SshException e) {
            new Chain(logins).close();
            throw e;
        }
    }

    private SSHClient login(SshHop hop, SSHClient via, SshOptions options, String where) throws SshException {
        SshTarget target = hop.target();
        KnownHostsVerifier verifier;
        try {
            Path kh = hop.knownHosts();
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
            if (via == null) {
                client.connect(target.host(), target.port());
            } else {
                net.schmizz.sshj.connection.channel.direct.DirectConnection tunnel;
                try {
                    tunnel = via.newDirectConnection(target.host(), target.port());
                } catch (IOException e) {
                    closeQuietly(client);
                    throw new SshException(where + ": the jump host could not open a connection to " + target.host() + ":" + target.port()
                            + ": " + e.getMessage(), e);
                }
                client.connectVia(tunnel);
            }
        } catch (SshException e) {
            throw e;
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
        KeyChoice keys = new KeyChoice();
        try {
            keys.choose(client, hop, options, where);
            client.auth(target.user(), keys.methods);
            keepAlive(client, options.timeout());
            return client;
        } catch (UserAuthException e) {
            closeQuietly(client);
            if (timedOut(e)) throw new SshException(noAuthAnswer(where, options), e);
            throw new SshException(where + ": key authentication failed (tried " + String.join(", ", keys.tried)
                    + "): authorize the public key for " + target.user() + " on " + target.host() + keys.locked() + keys.sha1(), e);
        } catch (SshException e) {
            closeQuietly(client);
            throw e;
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshException(timedOut(e) ? noAuthAnswer(where, options) : where + ": " + e.getMessage(), e);
        }
    }

    /**
     * The keys offered, in OpenSSH's order: the hop's IdentityFiles (or ~/.ssh's default ones when
     * none is named), each through the agent when the agent holds it (no passphrase then), then
     * the agent's other keys unless IdentitiesOnly.
     */
    private final class KeyChoice {
        final List<AuthMethod> methods = new ArrayList<>();
        final List<String> tried = new ArrayList<>();
        final List<Path> lockedKeys = new ArrayList<>();
        boolean agentRsa;

        void choose(SSHClient client, SshHop hop, SshOptions options, String where) throws IOException, SshException {
            SshAgent agent = SshAgent.at(options.agentSocket());
            List<Identity> fromAgent = new ArrayList<>();
            List<Path> files = !hop.identityFiles().isEmpty() ? hop.identityFiles()
                    : DEFAULT_KEYS.stream().map(k -> options.sshDir().resolve(k)).toList();
            for (Path f : files) {
                if (!Files.isReadable(f)) continue;
                Identity held = agent == null ? null : agent.holding(f);
                if (held != null) {
                    methods.add(agent.auth(held));
                    fromAgent.add(held);
                    tried.add(f + " (from ssh-agent)");
                    if (SshAgent.isRsa(held)) {
                        // the agent's RSA signature may be refused (sha1()): the file itself signs with rsa-sha2
                        agentRsa = true;
                        methods.add(new AuthPublickey(keyFile(client, f, options.passphrases())));
                        tried.add(f.toString());
                    }
                } else {
                    methods.add(new AuthPublickey(keyFile(client, f, options.passphrases())));
                    tried.add(f.toString());
                }
            }
            if (agent != null && !hop.identitiesOnly()) {
                for (Identity id : agent.identities()) {
                    if (fromAgent.contains(id)) continue;
                    methods.add(agent.auth(id));
                    tried.add("ssh-agent key " + SshAgent.describe(id));
                    if (SshAgent.isRsa(id)) agentRsa = true;
                }
            }
            if (methods.isEmpty()) {
                throw new SshException(where + ": no private key found (" + (hop.identityFiles().isEmpty()
                        ? "looked for " + String.join(", ", DEFAULT_KEYS) + " in " + options.sshDir()
                        : "IdentityFile " + hop.identityFiles() + " not readable")
                        + (agent == null ? ", no ssh-agent at SSH_AUTH_SOCK" : ", the ssh-agent holds no key") + "); pass key: 'path'");
            }
        }

        private KeyProvider keyFile(SSHClient client, Path f, SshOptions.Passphrases passphrases) throws IOException {
            KeyProvider known = keyFiles.get(f);
            if (known != null) return known;
            KeyProvider kp = client.loadKeys(f.toString(), new PasswordFinder() {
                @Override
                public char[] reqPassword(Resource<?> resource) {
                    char[] answer = passphrases.ask(f);
                    if (answer == null) lockedKeys.add(f);
                    return answer;
                }

                @Override
                public boolean shouldRetry(Resource<?> resource) {
                    return false;
                }
            });
            keyFiles.put(f, kp);
            return kp;
        }

        /** jsch.agentproxy has the agent sign RSA with SHA-1 (ssh-rsa), which OpenSSH 8.8+ refuses by default. */
        String sha1() {
            return agentRsa ? "; an RSA key in ssh-agent signs with SHA-1 here, which current sshd refuses: use an ed25519 key in the agent,"
                    + " or the RSA key file itself (key: or IdentityFile)" : "";
        }

        /** Why passphrase-protected keys could not be used, for the refusal. */
        String locked() {
            if (lockedKeys.isEmpty()) return "";
            lockedKeys.forEach(keyFiles::remove);
            String files = String.join(" ", lockedKeys.stream().map(Path::toString).toList());
            return "; " + files + " needs a passphrase: add it to ssh-agent (ssh-add " + files
                    + ") or connect in the interactive shell, which asks for it";
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

    static void closeQuietly(SSHClient c) {
        try {
            c.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        clients.values().forEach(Chain::close);
        clients.clear();
    }
}
