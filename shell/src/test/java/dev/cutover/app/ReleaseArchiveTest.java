package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release build as a user meets it: {@code mvn package} on a copy of the sources produces
 * {@code shell/target/cutover-<version>.tar.gz}; unpacked anywhere, {@code bin/cutover} runs with a
 * Java runtime and a few shell tools on PATH (no Maven, no clone), and says so in one line when
 * it has no Java 17. Tagged {@code release}: a whole nested build, left out of {@code scripts/test --quick}.
 */
@Tag("release")
class ReleaseArchiveTest {
    @TempDir
    static Path tmp;
    static Path home;
    /** PATH for the launcher: the shell tools it uses, and nothing else (no java, no mvn). */
    static Path tools;

    @BeforeAll
    static void buildAndUnpack() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(repo.resolve("shell/pom.xml")), "run from the shell module: " + repo);
        Path copy = tmp.resolve("src");
        for (String p : List.of("pom.xml", "README.md", "LICENSE", "shell/pom.xml", "shell/src/main", "shell/src/dist", "shell/src/build",
                "shell/src/assembly", "runbooks", "docs", "scripts/cutover")) {
            copyTree(repo.resolve(p), copy.resolve(p));
        }
        String version = Sessions.version();
        Path log = tmp.resolve("build.log");
        int exit = run(copy, log, Map.of(), "mvn", "-B", "-q", "-o", "-DskipTests", "package");
        if (exit != 0) exit = run(copy, log, Map.of(), "mvn", "-B", "-q", "-DskipTests", "package"); // a plugin not cached yet
        assertEquals(0, exit, "mvn package: " + Files.readString(log));
        Path archive = copy.resolve("shell/target/cutover-" + version + ".tar.gz");
        assertTrue(Files.isRegularFile(archive), "no " + archive + " after mvn package");

        Path unpacked = tmp.resolve("opt");
        Files.createDirectories(unpacked);
        assertEquals(0, run(unpacked, tmp.resolve("tar.log"), Map.of(), "tar", "xzf", archive.toString()));
        home = unpacked.resolve("cutover-" + version);
        Path built = copy.resolve("shell/target/cutover.jsa");
        assertTrue(Files.size(built) > 0, "mvn package makes the class-data-sharing archive of the jar");
        // scripts/cutover with a damaged archive (newer than the jar, so it is kept): runs, prints the result, says nothing of it.
        Files.write(built, "not an archive".getBytes(StandardCharsets.UTF_8));
        Path oneBlock = tmp.resolve("one-block-clone.md");
        Files.writeString(oneBlock, "# One\n\n```groovy\n6 * 7\n```\n");
        Path out = tmp.resolve("clone-run.log");
        assertEquals(0, run(copy, out, Map.of(), "bash", "scripts/cutover", "run", oneBlock.toString(), "--transcript",
                tmp.resolve("clone-run.md").toString()), Files.readString(out));
        String ran = Files.readString(out);
        assertTrue(ran.contains("  42") && !ran.contains("building") && ran.lines().noneMatch(l -> l.contains("[warning]")), ran);
        // The build tree goes: nothing below may depend on it.
        deleteTree(copy);

        tools = tmp.resolve("tools");
        Files.createDirectories(tools);
        for (String tool : List.of("bash", "readlink", "dirname", "sed", "mktemp", "mv", "rm")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of(which(tool)));
        }
    }

    @Test
    void theArchiveHoldsLauncherJarCompletionAndRunbooks() {
        assertTrue(Files.isExecutable(home.resolve("bin/cutover")));
        assertTrue(Files.isRegularFile(home.resolve("lib/cutover.jar")));
        assertTrue(Files.isRegularFile(home.resolve("share/bash-completion/completions/cutover")));
        assertTrue(Files.isRegularFile(home.resolve("runbooks/streaming-upgrade.md")));
        assertTrue(Files.isRegularFile(home.resolve("docs/report.md")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
    }

    @Test
    void binCutoverRunsWithOnlyAJavaRuntime() throws Exception {
        String out = launcher(0, Map.of("JAVA_HOME", System.getProperty("java.home")), "--version");
        assertEquals("cutover " + Sessions.version(), out.strip());

        String check = launcher(0, Map.of("JAVA_HOME", System.getProperty("java.home")), "check", home.resolve("runbooks/streaming-upgrade.md").toString());
        assertTrue(check.contains("all compile"), check);

        String script = launcher(0, Map.of("JAVA_HOME", System.getProperty("java.home")), "completion", "bash");
        assertEquals(Files.readString(home.resolve("share/bash-completion/completions/cutover")), script,
                "the shipped completion script is what cutover completion bash prints");
    }

    @Test
    void binCutoverFindsJavaOnPathAndWorksThroughASymlink() throws Exception {
        Path bin = tmp.resolve("usr-local-bin");
        Files.createDirectories(bin);
        Path link = bin.resolve("cutover");
        if (!Files.exists(link)) Files.createSymbolicLink(link, home.resolve("bin/cutover"));
        Path javaDir = tmp.resolve("java-on-path");
        Files.createDirectories(javaDir);
        if (!Files.exists(javaDir.resolve("java"))) Files.createSymbolicLink(javaDir.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        String out = exec(0, link, Map.of("PATH", tools + ":" + javaDir), "--version");
        assertEquals("cutover " + Sessions.version(), out.strip());
    }

    /**
     * Start-up: bin/cutover makes the class-data-sharing archive of its jar once (it is bound to the
     * jar's path, so it is made where the jar is installed), starts with it, and still runs, silently,
     * when the archive is damaged, or stale because the jar changed (then it makes a new one).
     */
    @Test
    void binCutoverUsesItsClassDataArchiveAndRunsWithoutAGoodOne() throws Exception {
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
        Path jar = home.resolve("lib/cutover.jar");
        Path jsa = home.resolve("lib/cutover.jsa");
        Path runbook = tmp.resolve("one-block.md");
        Files.writeString(runbook, "# One\n\n```groovy\n6 * 7\n```\n");
        Files.deleteIfExists(jsa);

        String first = oneBlock(env, runbook);
        assertTrue(first.contains("  42"), first);
        assertTrue(Files.size(jsa) > 0, "the first run makes lib/cutover.jsa");
        String shared = launcher(0, Map.of("JAVA_HOME", System.getProperty("java.home"), "CUTOVER_JAVA_OPTS", "-Xlog:class+load=info"),
                "--version");
        assertTrue(shared.lines().anyMatch(l -> l.contains(" dev.cutover.app.Main source: shared objects file")),
                "the launcher starts from the archive: " + shared.lines().filter(l -> l.contains("dev.cutover.app.Main ")).toList());
        // picocli is built for Java 5, which the archive cannot hold; the build raises its classes to Java 8.
        assertTrue(shared.lines().anyMatch(l -> l.contains(" picocli.CommandLine source: shared objects file")),
                "picocli comes from the archive: " + shared.lines().filter(l -> l.contains("picocli.CommandLine ")).toList());

        // Damaged (newer than the jar, so the launcher keeps it): the JVM drops it without a word.
        Files.write(jsa, "not an archive".getBytes(StandardCharsets.UTF_8));
        String damaged = oneBlock(env, runbook);
        assertTrue(damaged.contains("  42"), damaged);
        assertTrue(damaged.lines().noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("shar")), damaged);

        // Stale: a jar newer than the archive (a reinstall) gets a new archive, and the run goes on.
        Files.setLastModifiedTime(jsa, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 1_000));
        String stale = oneBlock(env, runbook);
        assertTrue(stale.contains("  42"), stale);
        assertTrue(Files.size(jsa) > 100 && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) >= 0,
                "a new archive for the changed jar");

        // Missing and not makeable (lib read-only): runs all the same.
        Files.delete(jsa);
        assertTrue(home.resolve("lib").toFile().setWritable(false));
        try {
            String missing = oneBlock(env, runbook);
            assertTrue(missing.contains("  42"), missing);
        } finally {
            home.resolve("lib").toFile().setWritable(true);
        }
    }

    private String oneBlock(Map<String, String> env, Path runbook) throws Exception {
        Path transcript = tmp.resolve("t-" + System.nanoTime() + ".md");
        String out = launcher(0, env, "run", runbook.toString(), "--transcript", transcript.toString());
        assertTrue(out.lines().noneMatch(l -> l.contains("[warning]") || l.contains("[error]")), out);
        return out;
    }

    @Test
    void withoutJava17TheLauncherSaysSoInOneLineAndExitsTwo() throws Exception {
        String none = launcher(2, Map.of(), "--version");
        assertEquals(1, none.strip().lines().count(), none);
        assertTrue(none.startsWith("cutover: no java found (JAVA_HOME unset, none on PATH); cutover needs Java 17 or newer"), none);

        Path old = tmp.resolve("jdk-11");
        Files.createDirectories(old.resolve("bin"));
        Files.writeString(old.resolve("release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"11.0.22\"\n");
        Path java = old.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'must not be started' >&2\nexit 99\n");
        java.toFile().setExecutable(true);
        String tooOld = launcher(2, Map.of("JAVA_HOME", old.toString()), "--version");
        assertEquals("cutover: " + java + " is Java 11.0.22; cutover needs Java 17 or newer (a JRE is enough: "
                + "apt-get install openjdk-17-jre-headless, or set JAVA_HOME)", tooOld.strip());
    }

    private String launcher(int expectedExit, Map<String, String> env, String... args) throws Exception {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("PATH", tools.toString());
        return exec(expectedExit, home.resolve("bin/cutover"), e, args);
    }

    private String exec(int expectedExit, Path program, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private static int run(Path dir, Path log, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        return p.exitValue();
    }

    private static String which(String tool) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "command -v " + tool).start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), tool + " not found");
        return path;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
