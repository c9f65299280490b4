package dev.cutover.host;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * This machine: commands run through ProcessBuilder and are killed with their children on
 * timeout or cancel. PostgreSQL refuses to run as root, so a LocalHost made for a server runs its
 * commands as {@code postgres} (via runuser) when we are root.
 */
public final class LocalHost implements Host {
    public static final LocalHost INSTANCE = new LocalHost(null);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private final String runAs;

    private LocalHost(String runAs) {
        this.runAs = runAs;
    }

    /** The local host as the PostgreSQL owner: as {@code postgres} when we are root, as ourselves otherwise. */
    public static LocalHost forPostgres() {
        return ROOT ? new LocalHost("postgres") : INSTANCE;
    }

    @Override
    public String name() {
        return runAs == null ? "local" : "local (as " + runAs + ")";
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public ExecResult exec(ExecRequest req) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<String> argv = new ArrayList<>();
        if (runAs != null) argv.addAll(List.of("runuser", "-u", runAs, "--"));
        argv.addAll(req.argv());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(req.env());
        if (req.stdin() == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread outPump = Streams.pump(process.getInputStream(), out, req.stdout(), null);
        Thread errPump = Streams.pump(process.getErrorStream(), err, req.stderr(), null);
        if (req.stdin() != null) feed(req.stdin(), process.getOutputStream());
        boolean timedOut = false;
        AutoCloseable hook = req.cancellation() == null ? () -> { } : req.cancellation().onCancel(() -> kill(process));
        try {
            if (req.timeout() != null && !process.waitFor(req.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                kill(process);
            }
            process.waitFor();
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            try {
                hook.close();
            } catch (Exception ignored) {
                // closing a hook cannot fail in a way that matters here
            }
        }
        outPump.join(2000);
        errPump.join(2000);
        if (req.cancellation() != null && req.cancellation().isCancelled()) {
            throw new InterruptedException("cancelled: " + req.display());
        }
        return new ExecResult(name(), req.display(), process.exitValue(), out.toString(), err.toString(),
                Duration.ofNanos(System.nanoTime() - start), timedOut);
    }

    private static void feed(InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            try (OutputStream o = out) {
                in.transferTo(o);
            } catch (IOException ignored) {
                // the process ended first
            }
        }, "exec-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Kills the process and everything it started (a shell's children must not outlive a cancel). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public byte[] readFile(String path) throws IOException {
        return Files.readAllBytes(Path.of(path));
    }

    @Override
    public void writeFileAtomic(String path, byte[] content, FileAttributes attributes) throws IOException {
        Path target = Path.of(path).toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, ".cutover-write.", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            applyAttributes(target, tmp, attributes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + path + " atomically: " + e.getMessage(), e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some filesystems cannot fsync a directory; the rename itself is atomic
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void applyAttributes(Path target, Path tmp, FileAttributes attributes) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        UserPrincipalLookupService users = tmp.getFileSystem().getUserPrincipalLookupService();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class);
            view.setPermissions(old.permissions());
            if (ROOT) {
                view.setOwner(old.owner());
                view.setGroup(old.group());
            }
        } else if (runAs != null && attributes.owner() == null) {
            view.setOwner(users.lookupPrincipalByName(runAs));
        }
        if (attributes.mode() != null) view.setPermissions(permissions(attributes.mode()));
        if (attributes.owner() != null) {
            String[] ug = attributes.owner().split(":", 2);
            UserPrincipal u = users.lookupPrincipalByName(ug[0]);
            view.setOwner(u);
            if (ug.length > 1) {
                GroupPrincipal g = users.lookupPrincipalByGroupName(ug[1]);
                view.setGroup(g);
            }
        }
    }

    static Set<PosixFilePermission> permissions(String octal) {
        int m = Integer.parseInt(octal, 8);
        Set<PosixFilePermission> p = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) if ((m & (1 << i)) != 0) p.add(order[i]);
        return p;
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        Path d = Path.of(dir);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
