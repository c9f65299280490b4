package dev.cutover.host;

import java.nio.file.Path;
import java.time.Duration;
import dev.cutover.spi.Durations;

/**
 * How to reach a host over SSH.
 *
 * @param knownHosts       the known_hosts file that vouches for host keys (default ~/.ssh/known_hosts)
 * @param acceptNewHostKey record a host key seen for the first time (OpenSSH's accept-new); a changed key is still refused
 * @param identity         a private key file; null = ~/.ssh/id_ed25519, id_ecdsa, id_rsa
 * @param timeout          the longest wait for each step of reaching the host (TCP connect, version and key exchange,
 *                         authentication) and for keep-alive answers once connected: a host that accepts TCP and
 *                         then says nothing must not hang the shell
 * @param sshDir           where the default keys are (~/.ssh)
 * @param agentSocket      the ssh-agent's socket (SSH_AUTH_SOCK), or null for none
 * @param passphrases      asks for a key file's passphrase (the REPL, without echo); answers null when nobody can
 */
public record SshOptions(Path knownHosts, boolean acceptNewHostKey, Path identity, Duration timeout, Path sshDir, String agentSocket,
                         Passphrases passphrases) {
    /** Environment variable that overrides the default timeout (30, 30s, 500ms, 1m). */
    public static final String TIMEOUT_ENV = "CUTOVER_SSH_TIMEOUT";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** Asks for the passphrase of a private key file; null when nobody can answer (batch). Never recorded. */
    @FunctionalInterface
    public interface Passphrases {
        Passphrases NONE = file -> null;

        char[] ask(Path keyFile);
    }

    public SshOptions(Path knownHosts, boolean acceptNewHostKey, Path identity, Duration timeout) {
        this(knownHosts, acceptNewHostKey, identity, timeout, home(), System.getenv("SSH_AUTH_SOCK"), Passphrases.NONE);
    }

    public static Path home() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    public static SshOptions defaults() {
        return new SshOptions(home().resolve("known_hosts"), false, null, timeoutFrom(System.getenv(TIMEOUT_ENV)));
    }

    /** The timeout an environment value asks for; the default when it is unset or blank. */
    public static Duration timeoutFrom(String envValue) {
        if (envValue == null || envValue.isBlank()) return DEFAULT_TIMEOUT;
        try {
            return Durations.parse(envValue);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TIMEOUT_ENV + ": " + e.getMessage());
        }
    }

    public SshOptions withTimeout(Duration t) {
        return new SshOptions(knownHosts, acceptNewHostKey, identity, t, sshDir, agentSocket, passphrases);
    }

    String key(SshRoute route) {
        return route + "|" + route.destination().knownHosts() + "|" + route.destination().identityFiles() + "|" + acceptNewHostKey
                + "|" + agentSocket;
    }
}
