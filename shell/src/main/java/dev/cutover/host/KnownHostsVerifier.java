package dev.cutover.host;

import java.io.File;
import java.io.IOException;
import java.security.PublicKey;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Host-key checking as OpenSSH does it, with the refusal explained: an unknown key is refused
 * unless the operator asked to accept new keys; a changed key is always refused.
 */
final class KnownHostsVerifier extends OpenSSHKnownHosts {
    private final boolean acceptNew;
    private volatile String refusal;

    KnownHostsVerifier(File knownHosts, boolean acceptNew) throws IOException {
        super(knownHosts);
        this.acceptNew = acceptNew;
    }

    /** Why the last connection's host key was refused, or null. */
    String refusal() {
        return refusal;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        String fp = sha256Fingerprint(key);
        if (acceptNew) {
            try {
                HostEntry entry = new HostEntry(null, hostname, KeyType.fromKey(key), key);
                entries().add(entry);
                write(entry);
                return true;
            } catch (IOException e) {
                refusal = "host key of " + hostname + " is new and could not be recorded in " + getFile() + ": " + e.getMessage();
                return false;
            }
        }
        refusal = "host key of " + hostname + " is not known (" + KeyType.fromKey(key) + " " + fp + ") in " + getFile()
                + ": check the fingerprint with the host's owner, then add it (ssh-keyscan " + keyscanArgs(hostname)
                + " >> " + getFile() + "), or pass acceptNewHostKey: true, or knownHosts: 'path'";
        return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        refusal = "host key of " + hostname + " CHANGED (now " + KeyType.fromKey(key) + " " + sha256Fingerprint(key)
                + ", " + getFile() + " has another): refusing to connect. If the host was rebuilt, remove the old key with "
                + "ssh-keygen -R '" + hostname + "' -f " + getFile() + " and verify the new one";
        return false;
    }

    /** The fingerprint as OpenSSH shows it (ssh-keygen -lf): SHA256:base64, no padding. */
    static String sha256Fingerprint(PublicKey key) {
        try {
            byte[] blob = new net.schmizz.sshj.common.Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            return SecurityUtils.getFingerprint(key);
        }
    }

    private static String keyscanArgs(String hostname) {
        if (hostname.startsWith("[")) {
            int close = hostname.indexOf(']');
            return "-p " + hostname.substring(close + 2) + " " + hostname.substring(1, close);
        }
        return hostname;
    }
}
