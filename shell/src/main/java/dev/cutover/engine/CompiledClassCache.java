package dev.cutover.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled blocks kept on disk between runs, so a runbook run again (the rehearsal, then the
 * window) starts without the Groovy compiler: a cold compile is most of a short run's time. An
 * entry is the bytecode of one block's classes, named by a SHA-256 of the block's source, its script
 * name and the exact cutover jar (its size and time): a new build, or an edit of a single character,
 * compiles again, so the compile-time checks (no exit calls, no code at compile time) always ran on
 * what is loaded. Only code that compiled is kept. The directory is the operator's own
 * ({@code ~/.cache/cutover/classes}, mode 0700); anything unreadable there is ignored, never trusted
 * over compiling.
 */
final class CompiledClassCache {
    private static final int MAGIC = 0x43555443; // "CUTC"
    private final Path dir;
    private final String jar;

    CompiledClassCache(Path dir, String jar) {
        this.dir = dir;
        this.jar = jar;
    }

    /**
     * The cache for this process, or null: only when cutover runs from its jar (a build from sources
     * in a test has no stable identity) and {@code cutover.classCache} is not {@code off}.
     */
    static CompiledClassCache forThisJar() {
        if ("off".equals(System.getProperty("cutover.classCache"))) return null;
        try {
            Path code = Path.of(GroovyEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(code)) return null;
            String identity = code.toAbsolutePath() + "\u0000" + Files.size(code) + "\u0000" + Files.getLastModifiedTime(code).toMillis();
            String home = System.getProperty("cutover.home", System.getProperty("user.home"));
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
            return new CompiledClassCache(base.resolve("cutover").resolve("classes"), identity);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    String key(String scriptName, String source) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {jar, scriptName, source}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the directory is the operator's alone: owned by this user and writable by nobody else. Code
     * loaded from it runs in the shell, so a directory anyone else could write to is never read.
     */
    private boolean trusted() {
        try {
            var perms = Files.getPosixFilePermissions(dir);
            return Files.getOwner(dir).getName().equals(System.getProperty("user.name"))
                    && !perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    && !perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The classes of an entry by name, or null when there is none (or it cannot be read, or the directory is not trusted). */
    Map<String, byte[]> read(String key) {
        Path file = dir.resolve(key + ".classes");
        if (!Files.isRegularFile(file) || !trusted()) return null;
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            if (data.readInt() != MAGIC) return null;
            int n = data.readInt();
            if (n <= 0 || n > 10_000) return null;
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = data.readUTF();
                int length = data.readInt();
                if (length <= 0 || length > 64 << 20) return null;
                byte[] bytes = new byte[length];
                data.readFully(bytes);
                classes.put(name, bytes);
            }
            return classes;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Keeps an entry; a failure only loses the head start of the next run. */
    void write(String key, Map<String, byte[]> classes) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException ignored) {
                    // made by a run beside this one
                }
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (DataOutputStream data = new DataOutputStream(buffer)) {
                data.writeInt(MAGIC);
                data.writeInt(classes.size());
                for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                    data.writeUTF(c.getKey());
                    data.writeInt(c.getValue().length);
                    data.write(c.getValue());
                }
            }
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                buffer.writeTo(out);
            }
            try {
                Files.move(tmp, dir.resolve(key + ".classes"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(key + ".classes"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException ignored) {
            // an unwritable cache: the next run compiles again
        }
    }

    /** Defines an entry's classes on demand, the script's closures beside it; its parent finds cutover's and Groovy's own. */
    static final class Loader extends ClassLoader {
        private final Map<String, byte[]> classes;

        Loader(ClassLoader parent, Map<String, byte[]> classes) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }
}
