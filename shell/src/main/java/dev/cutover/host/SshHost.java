package dev.cutover.host;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;

/**
 * A database host reached over SSH (SSHJ). Every command runs as its own process group (sshd makes
 * each session a session leader) whose id the command announces first, so a cancel or timeout
 * kills the whole tree on the host: Ctrl-C must not leave a pg_basebackup running there.
 */
public final class SshHost implements Host {
    private static final String PID_MARK = "cutover-pid:";
    private final SshRoute route;
    private final SshTarget target;
    private final SshOptions options;
    private final SshConnections connections;

    public SshHost(SshTarget target, SshOptions options, SshConnections connections) {
        this(SshRoute.direct(target, options), options, connections);
    }

    /** A host reached by a route from ~/.ssh/config (jump hosts, keys, known_hosts of its own). */
    public SshHost(SshRoute route, SshOptions options, SshConnections connections) {
        this.route = route;
        this.target = route.destination().target();
        this.options = options;
        this.connections = connections;
    }

    public SshTarget target() {
        return target;
    }

    @Override
    public String name() {
        return target.toString();
    }

    /** Opens (or reuses) the connection now, so that a bad key or host fails at connect time. */
    public void check() throws SshException {
        connections.client(route, options);
    }

    @Override
    public ExecResult exec(ExecRequest req) throws IOException, InterruptedException {
        long start = System.nanoTime();
        SSHClient client = connections.client(route, options);
        StringBuilder script = new StringBuilder("echo " + PID_MARK + "$$ >&2; ");
        InputStream stdin = req.stdin();
        if (!req.env().isEmpty()) {
            // Environment (passwords) travels on stdin, never on a command line that `ps` shows.
            script.append(EnvOverStdin.prologue(req.env()));
            stdin = EnvOverStdin.stdin(req.env(), stdin);
        }
        script.append("exec ").append(ShellQuote.join(req.argv()));
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        AtomicLong pid = new AtomicLong(-1);
        Session session;
        try {
            session = client.startSession();
        } catch (ConnectionException | TransportException e) {
            // A connection that dropped since its last use: re-open once.
            connections.drop(route, options);
            session = connections.client(route, options).startSession();
        }
        boolean timedOut = false;
        Integer exit;
        try (Session s = session) {
            Session.Command cmd = s.exec(script.toString());
            Thread outPump = Streams.pump(cmd.getInputStream(), out, req.stdout(), null);
            Thread errPump = Streams.pump(cmd.getErrorStream(), err, req.stderr(), line -> {
                if (line.startsWith(PID_MARK)) pid.set(Long.parseLong(line.substring(PID_MARK.length()).trim()));
            });
            Thread feeder = feed(stdin, cmd.getOutputStream());
            AutoCloseable hook = req.cancellation() == null ? () -> { } : req.cancellation().onCancel(() -> kill(pid.get(), cmd));
            try {
                long deadline = req.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + req.timeout().toNanos();
                while (cmd.isOpen()) {
                    if (Thread.currentThread().isInterrupted()) {
                        kill(pid.get(), cmd);
                        throw new InterruptedException("cancelled: " + req.display());
                    }
                    if (System.nanoTime() > deadline) {
                        timedOut = true;
                        kill(pid.get(), cmd);
                        break;
                    }
                    try {
                        cmd.join(100, TimeUnit.MILLISECONDS);
                    } catch (ConnectionException e) {
                        if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)
                                && !String.valueOf(e.getMessage()).contains("Timeout")) {
                            throw e;
                        }
                    }
                }
            } finally {
                close(hook);
            }
            outPump.join(2000);
            errPump.join(2000);
            if (feeder != null) feeder.interrupt();
            exit = cmd.getExitStatus();
            if (exit == null && !cmd.isOpen() && !timedOut && cmd.getExitSignal() == null
                    && !(req.cancellation() != null && req.cancellation().isCancelled())) {
                connections.drop(route, options);
                throw new SshException("ssh " + target + ": connection lost while running: " + req.display());
            }
        } catch (TransportException | ConnectionException e) {
            connections.drop(route, options);
            throw new SshException("ssh " + target + ": connection lost while running " + req.display() + ": " + e.getMessage(), e);
        }
        if (req.cancellation() != null && req.cancellation().isCancelled()) {
            throw new InterruptedException("cancelled: " + req.display());
        }
        return new ExecResult(name(), req.display(), exit == null ? -1 : exit, out.toString(), err.toString(),
                Duration.ofNanos(System.nanoTime() - start), timedOut);
    }

    private static Thread feed(InputStream in, OutputStream remote) {
        Thread t = new Thread(() -> {
            try (OutputStream o = remote) {
                if (in != null) in.transferTo(o);
            } catch (IOException ignored) {
                // the command ended or the connection dropped
            }
        }, "ssh-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Kills the command's process group on the host, TERM then KILL, over a separate channel. */
    private void kill(long pid, Session.Command cmd) {
        if (pid > 0) {
            try (Session s = connections.client(route, options).startSession()) {
                Session.Command k = s.exec("kill -TERM -- -" + pid + " 2>/dev/null; sleep 0.3; kill -KILL -- -" + pid + " 2>/dev/null; true");
                k.join(5, TimeUnit.SECONDS);
            } catch (IOException | RuntimeException ignored) {
                // connection gone: sshd closes the session's processes' pipes; nothing more to do from here
            }
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a hook cannot fail in a way that matters
        }
    }

    @Override
    public byte[] readFile(String path) throws IOException, InterruptedException {
        ExecResult r = exec(ExecRequest.of(List.of("cat", "--", path), Duration.ofMinutes(2), null, null, null));
        if (!r.ok()) throw new IOException(name() + ": cannot read " + path + ": " + r.stderr().strip());
        return r.stdout().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void writeFileAtomic(String path, byte[] content, FileAttributes attributes) throws IOException, InterruptedException {
        writeFileAtomic(path, new ByteArrayInputStream(content), content.length, sha256(content), attributes);
    }

    /** Streams the content; exposed for tests that cut the connection mid-write. */
    public void writeFileAtomic(String path, InputStream content, long length, String sha256, FileAttributes attributes)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(Arrays.asList("sh", "-c", AtomicWriteScript.SCRIPT, "cutover-write", path,
                String.valueOf(length), sha256, attributes.mode() == null ? "" : attributes.mode(),
                attributes.owner() == null ? "" : attributes.owner()));
        ExecRequest req = new ExecRequest(argv, "write " + path + " (" + length + " bytes, atomic)", Duration.ofMinutes(10),
                null, null, null, Map.of(), content);
        ExecResult r = exec(req);
        if (!r.ok()) throw new IOException(name() + ": writing " + path + " failed: " + r.stderr().strip());
    }

    @Override
    public boolean exists(String path) throws IOException, InterruptedException {
        return exec(ExecRequest.of(List.of("test", "-e", path), Duration.ofSeconds(30), null, null, null)).exitCode() == 0;
    }

    @Override
    public List<String> list(String dir) throws IOException, InterruptedException {
        ExecResult r = exec(ExecRequest.of(List.of("ls", "-1A", "--", dir), Duration.ofSeconds(60), null, null, null));
        if (!r.ok()) return List.of();
        return r.stdout().lines().filter(l -> !l.isEmpty()).sorted().toList();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
