package dev.cutover.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real CLI in a child JVM, as an operator's shell would. */
public final class Cli {
    public record Result(int exit, String out) {
    }

    private Cli() {
    }

    private static List<String> launch;

    /**
     * How a child JVM starts: like the launcher does, from a jar of the classes under test with a
     * class-data-sharing archive made by one training run, and C1 only; the test classpath as it is
     * when that cannot be made. Made once per test JVM: dozens of CLI runs then start in about half the time.
     */
    private static synchronized List<String> launch() {
        if (launch != null) return launch;
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> entries = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        launch = List.of(javaBin, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", String.join(java.io.File.pathSeparator, entries), "dev.cutover.app.Main");
        try {
            Path classes = entries.stream().map(Path::of).filter(e -> Files.isDirectory(e) && e.endsWith(Path.of("target", "classes"))).findFirst().orElse(null);
            if (classes == null) return launch;
            Path work = Files.createDirectories(classes.getParent().resolve("cli-test"));
            Path jar = work.resolve("cutover-under-test.jar");
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace(java.io.File.separatorChar, '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            List<String> cp = new ArrayList<>(List.of(jar.toString()));
            for (String e : entries) {
                if (e.endsWith(".jar") && !e.matches(".*(junit|opentest4j|apiguardian|surefire).*")) cp.add(e);
            }
            String classpath = String.join(java.io.File.pathSeparator, cp);
            Path jsa = work.resolve("cutover-under-test.jsa");
            Files.deleteIfExists(jsa);
            Files.writeString(work.resolve("one.md"), "# Training\n\n```groovy\nx = 1\n```\n");
            Process training = new ProcessBuilder(javaBin, "-XX:ArchiveClassesAtExit=" + jsa, "-XX:TieredStopAtLevel=1", "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off", "-Dcutover.classCache=off", "-cp", classpath, "dev.cutover.app.Main", "run", "one.md", "--transcript",
                    "t-" + System.nanoTime() + ".md").directory(work.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!training.waitFor(60, TimeUnit.SECONDS) || !Files.isRegularFile(jsa)) {
                training.destroyForcibly();
                launch = List.of(javaBin, "-XX:TieredStopAtLevel=1", "-cp", classpath, "dev.cutover.app.Main");
                return launch;
            }
            launch = List.of(javaBin, "-XX:SharedArchiveFile=" + jsa, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:TieredStopAtLevel=1",
                    "-cp", classpath, "dev.cutover.app.Main");
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the test classpath as it is: slower, same behaviour
        }
        return launch;
    }

    static ProcessBuilder builder(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(launch());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TERM", "dumb");
        return pb;
    }

    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, java.util.Map.of(), args);
    }

    /** With these environment variables added to the test JVM's. */
    public static Result run(Path dir, java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = builder(dir, args);
        pb.environment().putAll(env);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cutover " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
