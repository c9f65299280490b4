package dev.cutover.host;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import com.jcraft.jsch.agentproxy.AgentProxy;
import com.jcraft.jsch.agentproxy.AgentProxyException;
import com.jcraft.jsch.agentproxy.Identity;
import com.jcraft.jsch.agentproxy.USocketFactory;
import com.jcraft.jsch.agentproxy.connector.SSHAgentConnector;
import com.jcraft.jsch.agentproxy.sshj.AuthAgent;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * The keys an ssh-agent holds (SSH_AUTH_SOCK), offered without ever reading a private key:
 * jsch.agentproxy speaks the agent protocol and gives SSHJ its auth method; the socket is the
 * JDK's own Unix-domain channel (no JNA).
 */
final class SshAgent {
    private final AgentProxy proxy;
    private final List<Identity> identities;

    private SshAgent(AgentProxy proxy) {
        this.proxy = proxy;
        Identity[] ids = proxy.getIdentities();
        this.identities = ids == null ? List.of() : List.of(ids);
    }

    /** The agent at {@code socket}, or null when there is none to talk to. */
    static SshAgent at(String socket) {
        if (socket == null || socket.isBlank() || !Files.exists(Path.of(socket))) return null;
        try {
            return new SshAgent(new AgentProxy(new SSHAgentConnector(new JdkSockets(), socket)));
        } catch (AgentProxyException | RuntimeException e) {
            return null;
        }
    }

    List<Identity> identities() {
        return identities;
    }

    /** The agent's copy of the key whose public half is {@code keyFile}.pub, or null. */
    Identity holding(Path keyFile) {
        Path pub = Path.of(keyFile + ".pub");
        if (!Files.isReadable(pub)) return null;
        try {
            String[] fields = Files.readString(pub).strip().split("\\s+");
            if (fields.length < 2) return null;
            byte[] blob = Base64.getDecoder().decode(fields[1]);
            return identities.stream().filter(i -> Arrays.equals(i.getBlob(), blob)).findFirst().orElse(null);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    AuthMethod auth(Identity identity) {
        try {
            return new AuthAgent(proxy, identity);
        } catch (Buffer.BufferException e) {
            throw new IllegalStateException("ssh-agent key " + describe(identity) + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Whether the key is RSA: its blob starts with the string "ssh-rsa". */
    static boolean isRsa(Identity identity) {
        byte[] b = identity.getBlob();
        return b.length > 11 && new String(b, 4, 7, java.nio.charset.StandardCharsets.US_ASCII).equals("ssh-rsa");
    }

    static String describe(Identity identity) {
        String comment = new String(identity.getComment(), java.nio.charset.StandardCharsets.UTF_8);
        return comment.isEmpty() ? "(no comment)" : comment;
    }

    /** The agent's socket through java.nio (JDK 16+). */
    private static final class JdkSockets implements USocketFactory {
        @Override
        public Socket open(String path) throws IOException {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
            return new Socket() {
                @Override
                public int readFull(byte[] buf, int offset, int length) throws IOException {
                    int done = 0;
                    while (done < length) {
                        int n = ch.read(ByteBuffer.wrap(buf, offset + done, length - done));
                        if (n < 0) return done == 0 ? -1 : done;
                        done += n;
                    }
                    return done;
                }

                @Override
                public void write(byte[] buf, int offset, int length) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(buf, offset, length);
                    while (b.hasRemaining()) ch.write(b);
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        }
    }
}
