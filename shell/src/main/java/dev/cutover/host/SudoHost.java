package dev.cutover.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A host reached as one user that runs commands as another ({@code sudo: 'postgres'}), for sites
 * where operators log in as themselves. File writes go through the same sudo.
 */
public final class SudoHost implements Host {
    private final Host inner;
    private final String user;

    public SudoHost(Host inner, String user) {
        this.inner = inner;
        this.user = user;
    }

    @Override
    public String name() {
        return inner.name() + " (sudo -u " + user + ")";
    }

    /**
     * sudo resets the environment (env_reset), so variables (PGPASSWORD, PGSSLMODE) cross it on
     * stdin and are exported by a shell on the other side; a password never goes on sudo's command
     * line, and no sudoers change (SETENV, env_keep) is needed.
     */
    private ExecRequest wrap(ExecRequest r) {
        List<String> argv = new ArrayList<>(List.of("sudo", "-n", "-u", user, "--"));
        if (r.env().isEmpty()) {
            argv.addAll(r.argv());
            return new ExecRequest(argv, r.display(), r.timeout(), r.stdout(), r.stderr(), r.cancellation(), r.env(), r.stdin());
        }
        argv.addAll(List.of("sh", "-c", EnvOverStdin.prologue(r.env()) + "exec \"$@\"", "cutover-env"));
        argv.addAll(r.argv());
        return new ExecRequest(argv, r.display(), r.timeout(), r.stdout(), r.stderr(), r.cancellation(), java.util.Map.of(),
                EnvOverStdin.stdin(r.env(), r.stdin()));
    }

    @Override
    public ExecResult exec(ExecRequest request) throws IOException, InterruptedException {
        return inner.exec(wrap(request));
    }

    @Override
    public byte[] readFile(String path) throws IOException, InterruptedException {
        ExecResult r = exec(ExecRequest.of(List.of("cat", "--", path), java.time.Duration.ofMinutes(2), null, null, null));
        if (!r.ok()) throw new IOException(name() + ": cannot read " + path + ": " + r.stderr().strip());
        return r.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void writeFileAtomic(String path, byte[] content, FileAttributes attributes) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", AtomicWriteScript.SCRIPT, "cutover-write", path,
                String.valueOf(content.length), SshHost.sha256(content), attributes.mode() == null ? "" : attributes.mode(),
                attributes.owner() == null ? "" : attributes.owner()));
        ExecResult r = exec(new ExecRequest(argv, "write " + path, java.time.Duration.ofMinutes(10), null, null, null,
                java.util.Map.of(), new java.io.ByteArrayInputStream(content)));
        if (!r.ok()) throw new IOException(name() + ": writing " + path + " failed: " + r.stderr().strip());
    }

    @Override
    public boolean exists(String path) throws IOException, InterruptedException {
        return exec(ExecRequest.of(List.of("test", "-e", path), java.time.Duration.ofSeconds(30), null, null, null)).exitCode() == 0;
    }

    @Override
    public List<String> list(String dir) throws IOException, InterruptedException {
        ExecResult r = exec(ExecRequest.of(List.of("ls", "-1A", "--", dir), java.time.Duration.ofSeconds(60), null, null, null));
        return r.ok() ? r.stdout().lines().filter(l -> !l.isEmpty()).sorted().toList() : List.of();
    }

    @Override
    public boolean isLocal() {
        return inner.isLocal();
    }
}
