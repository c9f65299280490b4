import groovyjarjarasm.asm.ClassReader;
import groovyjarjarasm.asm.ClassVisitor;
import groovyjarjarasm.asm.ClassWriter;
import groovyjarjarasm.asm.Opcodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites, in a built jar, the classes under the given package prefixes that are older than Java 6
 * (class file version 49) as Java 8 classes with stack map frames:
 * {@code java -cp JAR RaiseClassVersion.java JAR PREFIX...}.
 *
 * <p>Why: class-data sharing (the launchers' start-up archive) skips classes older than version 50, so
 * picocli (built for Java 5) was loaded, parsed and checked by the old verifier on every start, about
 * 60 ms of the main thread's start-up. Only the version and the frames change; ASM (Groovy's copy, which
 * the jar holds) recomputes the frames from the code, and a class it cannot rewrite fails the build.
 */
public final class RaiseClassVersion {
    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws IOException {
        if (args.length < 2) throw new IllegalArgumentException("usage: RaiseClassVersion JAR PREFIX...");
        Path jar = Path.of(args[0]);
        List<String> prefixes = List.of(args).subList(1, args.length);
        Path tmp = Files.createTempFile(jar.toAbsolutePath().getParent(), "raise", ".jar");
        int raised = 0;
        try (InputStream raw = Files.newInputStream(jar); ZipInputStream in = new ZipInputStream(raw);
             OutputStream out0 = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(out0)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().endsWith(".class") && prefixes.stream().anyMatch(e.getName()::startsWith) && version(bytes) < JAVA_6) {
                    bytes = raise(bytes);
                    raised++;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        // createTempFile made it owner-only; the jar keeps the mode it was built with.
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(jar));
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("RaiseClassVersion: " + raised + " class(es) under " + prefixes + " now Java 8 in " + jar);
    }

    private static int version(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] raise(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        // COMPUTE_FRAMES asks for common superclasses: they are found on this program's classpath, the jar itself.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    private RaiseClassVersion() {
    }
}
