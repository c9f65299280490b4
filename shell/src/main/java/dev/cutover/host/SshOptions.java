package dev.cutover.host;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a host over SSH.
 *
 * @param knownHosts       the known_hosts file that vouches for host keys (default ~/.ssh/known_hosts)
 * @param acceptNewHostKey record a host key seen for the first time (OpenSSH's accept-new); a changed key is still refused
 * @param identity         a private key file; null = ~/.ssh/id_ed25519, id_ecdsa, id_rsa
 */
public record SshOptions(Path knownHosts, boolean acceptNewHostKey, Path identity, Duration connectTimeout) {

    public static Path home() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    public static SshOptions defaults() {
        return new SshOptions(home().resolve("known_hosts"), false, null, Duration.ofSeconds(10));
    }

    String key(SshTarget target) {
        return target + "|" + knownHosts + "|" + acceptNewHostKey + "|" + identity;
    }
}
