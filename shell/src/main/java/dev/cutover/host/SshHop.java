package dev.cutover.host;

import java.nio.file.Path;
import java.util.List;

/**
 * One SSH login on the way to a host: where, as whom, with which keys, checked against which
 * known_hosts file.
 *
 * @param identityFiles  private keys to offer, in order; empty = the default ones in ~/.ssh
 * @param identitiesOnly offer only these keys, never the agent's other ones (OpenSSH's IdentitiesOnly)
 */
public record SshHop(SshTarget target, List<Path> identityFiles, boolean identitiesOnly, Path knownHosts) {
    public SshHop {
        identityFiles = List.copyOf(identityFiles);
    }

    public SshHop withKnownHosts(Path file) {
        return new SshHop(target, identityFiles, identitiesOnly, file);
    }

    /** A key given explicitly ({@code key:}) is offered first, as ssh -i does. */
    public SshHop withFirstIdentity(Path key) {
        List<Path> keys = new java.util.ArrayList<>(List.of(key));
        identityFiles.stream().filter(k -> !k.equals(key)).forEach(keys::add);
        return new SshHop(target, keys, identitiesOnly, knownHosts);
    }
}
